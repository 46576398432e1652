package io.pbft.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Request;
import io.pbft.statemachine.PartitionedStateMachine;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import org.junit.jupiter.api.Test;

class StateCheckerTest {

    private final Request put = Request.of(100, 1, ByteString.copyFrom(KvOps.put("k", "v1")));
    private final Request get = Request.of(101, 1, ByteString.copyFrom(KvOps.get("k")));
    private final StateChecker checker = new StateChecker(KeyValueStateMachine::new);

    /** The store's state digest after running {@code order} from empty. */
    private static ByteString digestAfter(Request... order) {
        PartitionedStateMachine model = PartitionedStateMachine.of(new KeyValueStateMachine());
        for (Request request : order) {
            model.execute(request.operation().toByteArray());
        }
        return ByteString.copyFrom(model.stateDigest());
    }

    @Test
    void replicasWhoseStateIsWhatTheyExecutedPass() {
        RunHistory history = new Histories(2).sent(put, get)
                .executesCheckpoint(0, 1, digestAfter(put), put).executesCheckpoint(1, 1, digestAfter(put), put)
                .executesCheckpoint(0, 2, digestAfter(put, get), get)
                .build();

        assertThat(checker.check(history)).isEmpty();
    }

    @Test
    void aWriteThatEveryReplicaLostInARestartIsAViolationThatCheckpointAgreementCannotSee() {
        ByteString lost = digestAfter(get); // as if the put had never executed
        RunHistory history = new Histories(2).sent(put, get)
                .executes(0, 1, put).executes(1, 1, put)
                .restarts(0).restarts(1)
                .executesCheckpoint(0, 2, lost, get).executesCheckpoint(1, 2, lost, get)
                .build();

        assertThat(new CheckpointAgreementChecker().check(history)).isEmpty();
        assertThat(checker.check(history)).hasSize(2)
                .allSatisfy(v -> assertThat(v.checker()).isEqualTo("State"))
                .first().satisfies(v -> assertThat(v.message()).contains("after sequence number 2", "replica 0"));
    }
}
