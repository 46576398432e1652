package io.pbft.driver.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import org.junit.jupiter.api.Test;

/** A replica restarted from its snapshot serves that checkpoint, as if it had just executed it. */
class RestoredCheckpointTest {

    @Test
    void theRestoredSnapshotIsServedAsTheCheckpointItWasTakenAt() {
        KeyValueStateMachine service = new KeyValueStateMachine();
        service.execute(KvOps.put("k", "v"));
        StateTransfer transfer = new StateTransfer(0, 4, service, new CheckpointDigests(), StateTransferLimits.defaults());
        ByteString clientTable = ByteString.copyFromUtf8("client table");

        transfer.restored(16, clientTable);

        assertThat(transfer.kept(16)).hasValueSatisfying(kept -> {
            assertThat(kept.merkleTree().root()).isEqualTo(service.stateDigest());
            assertThat(kept.clientTable()).isEqualTo(clientTable);
        });
    }
}
