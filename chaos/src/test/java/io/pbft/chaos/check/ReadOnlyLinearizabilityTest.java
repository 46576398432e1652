package io.pbft.chaos.check;

import static io.pbft.chaos.check.Histories.readOnly;
import static io.pbft.chaos.check.Histories.returned;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Request;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Read-only operations, which no replica orders, placed into the correct replicas' order by real time. */
class ReadOnlyLinearizabilityTest {

    private final Request put1 = Request.of(100, 1, ByteString.copyFrom(KvOps.put("k", "v1")));
    private final Request put2 = Request.of(100, 2, ByteString.copyFrom(KvOps.put("k", "v2")));
    private final Request read = readOnlyGet(101, 1);
    private final Request laterRead = readOnlyGet(102, 1);
    private final LinearizabilityChecker checker = new LinearizabilityChecker(KeyValueStateMachine::new);

    private static Request readOnlyGet(long clientId, long timestamp) {
        return new Request(clientId, timestamp, ByteString.copyFrom(KvOps.get("k")), true, List.of());
    }

    /** What a get of k answers once the given puts ran from empty. */
    private static ByteString getAfter(Request... puts) {
        return ByteString.copyFrom(after(puts).query(KvOps.get("k")));
    }

    private static KeyValueStateMachine after(Request... puts) {
        KeyValueStateMachine model = new KeyValueStateMachine();
        for (Request put : puts) {
            model.execute(put.operation().toByteArray());
        }
        return model;
    }

    private ByteString put1Result() {
        return ByteString.copyFrom(after().execute(put1.operation().toByteArray()));
    }

    private ByteString put2Result() {
        return ByteString.copyFrom(after(put1).execute(put2.operation().toByteArray()));
    }

    private Histories twoPuts() {
        return new Histories(1).sent(put1, put2, read, laterRead).executes(0, 1, put1).executes(0, 2, put2);
    }

    @Test
    void aReadOnlyResultOfAStateBetweenTheWritesItOverlapsIsLinearizable() {
        RunHistory history = twoPuts()
                .client(100, 2, returned(put1, 0, 10, put1Result()), returned(put2, 20, 40, put2Result()))
                .client(101, 1, readOnly(read, 15, 30, getAfter(put1))) // overlaps put2: v1 or v2 both fine
                .build();

        assertThat(checker.check(history)).isEmpty();
    }

    @Test
    void aStaleReadOnlyResultAfterAWriteReturnedIsAViolation() {
        // The stale quorum of the read-only optimization with f + 1 writes: put2 had returned, the read says v1.
        RunHistory history = twoPuts()
                .client(100, 2, returned(put1, 0, 10, put1Result()), returned(put2, 20, 30, put2Result()))
                .client(101, 1, readOnly(read, 31, 40, getAfter(put1)))
                .build();

        assertThat(checker.check(history)).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("(c101, t1)", "read-only", "no state"));
    }

    @Test
    void aReadOnlyResultThatGoesBackInTimeAfterAnotherReadIsAViolation() {
        // Both reads overlap put2, but the later one, called after the first returned v2, says v1.
        RunHistory history = twoPuts()
                .client(100, 2, returned(put1, 0, 10, put1Result()), returned(put2, 20, 60, put2Result()))
                .client(101, 1, readOnly(read, 21, 30, getAfter(put1, put2)))
                .client(102, 1, readOnly(laterRead, 31, 40, getAfter(put1)))
                .build();

        assertThat(checker.check(history)).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("(c102, t1)"));
    }

    @Test
    void aReadOnlyResultFromAStateNoWriteHadReachedWhenItReturnedIsAViolation() {
        // v2 is read before put2 was even called.
        RunHistory history = twoPuts()
                .client(100, 2, returned(put1, 0, 10, put1Result()), returned(put2, 50, 60, put2Result()))
                .client(101, 1, readOnly(read, 20, 30, getAfter(put1, put2)))
                .build();

        assertThat(checker.check(history)).hasSize(1);
    }
}
