package io.pbft.driver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.CheckpointTaken;
import io.pbft.core.DurableRecord;
import io.pbft.core.Effects;
import io.pbft.core.Outbound;
import io.pbft.core.Replica;
import io.pbft.core.ReplicaConfig;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.core.message.Status;
import io.pbft.driver.state.CheckpointDigests;
import io.pbft.driver.state.ServedCheckpoint;
import io.pbft.driver.state.StateTransfer;
import io.pbft.driver.state.StateTransferLimits;
import io.pbft.execution.StateMachineExecutor;
import io.pbft.statemachine.PartitionedStateMachine;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Persist before send, at the carrier: no message leaves before the records its input appended
 * were forced, what is made meanwhile waits behind it in order, and records that promise nothing
 * hold nothing back.
 */
class EffectsCarrierDurabilityTest {

    private static final int N = 4;
    private static final int SELF = 1;

    /** What the disk saw, in order, beside what left: "append", "sync", "send". */
    private final List<String> trace = new ArrayList<>();
    private final Envelopes envelopes;
    private final EffectsCarrier carrier;

    private final ReplicaKeys own = TestReplicaKeys.generate(N)[SELF];

    EffectsCarrierDurabilityTest() {
        envelopes = new Envelopes(SELF, N, own);
        carrier = carrier(OutboundFilter.IDENTITY);
    }

    private EffectsCarrier carrier(OutboundFilter filter) {
        Replica replica = new Replica(ReplicaConfig.defaults(N, SELF), envelopes, new CheckpointDigests());
        PartitionedStateMachine service = PartitionedStateMachine.of(new KeyValueStateMachine());
        StateTransfer transfer = new StateTransfer(SELF, N, service, new CheckpointDigests(),
                StateTransferLimits.defaults());
        Durability disk = new Durability() {
            @Override
            public void append(List<DurableRecord> records) {
                records.forEach(record -> trace.add("append " + record.getClass().getSimpleName()));
            }

            @Override
            public void sync() {
                trace.add("sync");
            }

            @Override
            public void checkpointKept(CheckpointTaken taken, ServedCheckpoint checkpoint) {}

            @Override
            public void stateInstalled(CheckpointTaken installed, ServedCheckpoint checkpoint) {}
        };
        return new EffectsCarrier(replica, new StateMachineExecutor(service, transfer::checkpointExecuted),
                new PreparedSlots(64), filter, new OutboundPipeline(SELF, N, own),
                (peer, frame) -> trace.add("send to " + peer), reply -> trace.add("reply"), event -> {}, transfer,
                disk);
    }

    /** Effects that promise a pre-prepare and send the prepare it draws, to replica 2 only. */
    private Effects promising() {
        List<Request> batch = List.of(Request.of(7, 1, ByteString.copyFromUtf8("op")));
        Signed<PrePrepare> prePrepare = envelopes.sign(new PrePrepare(0, 1, PrePrepare.digestOf(batch), SELF));
        return new Effects(List.of(new DurableRecord.PrePrepared(prePrepare, batch)),
                List.of(Outbound.to(2, new Status(0, true, 0, 0, SELF))), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), Effects.NO_WAKEUP);
    }

    /** Effects that promise nothing: a status to replica 3. */
    private static Effects plain() {
        return new Effects(List.of(), List.of(Outbound.to(3, new Status(0, true, 0, 0, SELF))), List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), Effects.NO_WAKEUP);
    }

    @Test
    void withoutDeferringEachInputIsSyncedBeforeItsMessagesLeave() {
        carrier.carryOut(promising(), 1);

        assertThat(trace).containsExactly("append PrePrepared", "sync", "send to 2");
    }

    @Test
    void deferredMessagesWaitForTheSyncAndWhatFollowsWaitsBehindThem() {
        carrier.deferSyncs();
        carrier.carryOut(promising(), 1);
        carrier.carryOut(plain(), 2); // applied before the driver flushes: one sync serves both

        assertThat(carrier.hasHeld()).isTrue();
        assertThat(trace).containsExactly("append PrePrepared");

        carrier.flush();

        assertThat(trace).containsExactly("append PrePrepared", "sync", "send to 2", "send to 3");
        assertThat(carrier.hasHeld()).isFalse();
    }

    @Test
    void recordsThatPromiseNothingHoldNothingBack() {
        carrier.deferSyncs();
        Effects committedOnly = new Effects(List.of(new DurableRecord.Committed(1,
                PrePrepare.digestOf(List.of()), List.of())), List.of(Outbound.to(3,
                        new Status(0, true, 0, 0, SELF))), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), Effects.NO_WAKEUP);

        carrier.carryOut(committedOnly, 1);

        assertThat(carrier.hasHeld()).isFalse();
        assertThat(trace).containsExactly("append Committed", "send to 3");
    }

    @Test
    void theOutboundFilterSeesAMessageOnlyOnceItsSyncIsDone() {
        // A simulation checks what a replica sent through its filter; a message still waiting for a
        // sync when the process dies never left, and must not have been seen as sent.
        OutboundFilter recording = new OutboundFilter() {
            @Override
            public List<Outbound> onOutbound(Outbound outbound) {
                trace.add("filter");
                return List.of(outbound);
            }

            @Override
            public List<Reply> onReply(Reply reply) {
                return List.of(reply);
            }
        };
        EffectsCarrier filtered = carrier(recording);
        filtered.deferSyncs();
        filtered.carryOut(promising(), 1);

        assertThat(trace).containsExactly("append PrePrepared");

        filtered.flush();

        assertThat(trace).containsExactly("append PrePrepared", "sync", "filter", "send to 2");
    }

    @Test
    void aCheckpointMessageIsNotAPromiseOfItsOwn() {
        // Checkpoints are signed, but what they say follows from the state: nothing is appended for them.
        Signed<Checkpoint> own = envelopes.sign(new Checkpoint(64, ByteString.copyFrom(new byte[32]), SELF));
        carrier.carryOut(new Effects(List.of(), List.of(Outbound.broadcast(own)), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(), Effects.NO_WAKEUP), 1);

        assertThat(trace).containsExactly("send to 0", "send to 2", "send to 3");
    }
}
