package io.pbft.chaos.check;

import static io.pbft.chaos.check.Histories.request;
import static io.pbft.chaos.check.Histories.returned;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Request;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

    private final Request put = Request.of(100, 1, ByteString.copyFrom(KvOps.put("k", "v1")));
    private final Request get = Request.of(101, 1, ByteString.copyFrom(KvOps.get("k")));
    private final LinearizabilityChecker checker = new LinearizabilityChecker(KeyValueStateMachine::new);

    /** What the store answers for each request when they run in the given order from empty. */
    private static ByteString[] results(Request... order) {
        KeyValueStateMachine model = new KeyValueStateMachine();
        ByteString[] results = new ByteString[order.length];
        for (int i = 0; i < order.length; i++) {
            results[i] = ByteString.copyFrom(model.execute(order[i].operation().toByteArray()));
        }
        return results;
    }

    @Test
    void resultsOfTheExecutedOrderInRealTimeOrderAreLinearizable() {
        ByteString[] results = results(put, get);
        RunHistory history = new Histories(1).sent(put, get)
                .executes(0, 1, put).executes(0, 2, get)
                .client(100, 1, returned(put, 0, 10, results[0]))
                .client(101, 1, returned(get, 11, 20, results[1]))
                .build();

        assertThat(checker.check(history)).isEmpty();
    }

    @Test
    void aResultThatTheOrderDoesNotProduceIsAViolation() {
        ByteString stale = results(get)[0]; // the get answered as if the put had not run
        RunHistory history = new Histories(1).sent(put, get)
                .executes(0, 1, put).executes(0, 2, get)
                .client(100, 1, returned(put, 0, 10, results(put)[0]))
                .client(101, 1, returned(get, 11, 20, stale))
                .build();

        assertThat(checker.check(history))
                .singleElement()
                .satisfies(v -> assertThat(v.checker()).isEqualTo("Linearizability"))
                .satisfies(v -> assertThat(v.message()).contains("(c101, t1)", "accepted result"));
    }

    @Test
    void anOrderAgainstRealTimeIsAViolation() {
        // The get returned before the put was called, yet was ordered after it.
        ByteString[] results = results(put, get);
        RunHistory history = new Histories(1).sent(put, get)
                .executes(0, 1, put).executes(0, 2, get)
                .client(100, 1, returned(put, 30, 40, results[0]))
                .client(101, 1, returned(get, 0, 20, results[1]))
                .build();

        assertThat(checker.check(history))
                .singleElement()
                .satisfies(v -> assertThat(v.message())
                        .contains("was ordered before", "returned before it was called"));
    }

    @Test
    void aResultForARequestNoCorrectReplicaExecutedIsAViolation() {
        RunHistory history = new Histories(1).sent(put, get)
                .executes(0, 1, put)
                .client(101, 1, returned(get, 0, 20, results(get)[0]))
                .build();

        assertThat(checker.check(history))
                .singleElement()
                .satisfies(v -> assertThat(v.message()).contains("no correct replica executed it"));
    }

    @Test
    void requestIdsOfUnrelatedClientsDoNotMatter() {
        Request other = request(102, 1);
        RunHistory history = new Histories(1).sent(other).executes(0, 1, other).build();

        assertThat(checker.check(history)).isEmpty();
    }
}
