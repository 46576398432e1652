package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.chaos.behaviour.Behaviour;
import io.pbft.chaos.behaviour.BehaviourContext;
import io.pbft.chaos.check.CheckpointAgreementChecker;
import io.pbft.core.Outbound;
import io.pbft.core.Rejection;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Status;
import io.pbft.statemachine.StateMachine;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The simulator's seams: behaviours between a replica's effects and the network, and pluggable services. */
class SimulationSeamsTest {

    private static final SimulationConfig LOSSY = SimulationConfig.defaults(1).withNetwork(SimulationProperties.LOSSY);

    /** Sends nothing at all: a crashed replica, counted as faulty. */
    private static final Behaviour SILENT = new Behaviour() {
        @Override
        public List<Outbound> onOutbound(BehaviourContext context, Outbound outbound) {
            return List.of();
        }

        @Override
        public List<Reply> onReply(BehaviourContext context, Reply reply) {
            return List.of();
        }

        @Override
        public boolean isCorrect() {
            return false;
        }
    };

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void aSilentBackupWithinFDoesNotStopTheCluster(long seed) {
        SimulationResult result = new Simulation(LOSSY.withSeed(seed), KeyValueStateMachine::new,
                id -> id == 2 ? SILENT : Behaviour.honest()).run();

        assertThat(result.passed()).withFailMessage(result::report).isTrue();
        assertThat(result.requestsCompleted()).isEqualTo(result.requestsPlanned());
        assertThat(result.history().correctReplicas()).containsExactly(0, 1, 3);
    }

    @Test
    void aReplicaCannotSpeakForAnotherBecauseItsMacNamesTheSender() {
        Behaviour impersonator = new Behaviour() {
            @Override
            public List<Outbound> onOutbound(BehaviourContext context, Outbound outbound) {
                Status forged = new Status(0, true, 0, 0, 0); // claims to be replica 0
                return List.of(outbound, Outbound.broadcast(forged));
            }

            @Override
            public List<Reply> onReply(BehaviourContext context, Reply reply) {
                return List.of(reply);
            }

            @Override
            public boolean isCorrect() {
                return false;
            }
        };

        SimulationResult result = new Simulation(LOSSY, KeyValueStateMachine::new,
                id -> id == 3 ? impersonator : Behaviour.honest()).run();

        assertThat(result.passed()).withFailMessage(result::report).isTrue();
        assertThat(result.rejections().get(1)).containsKey(Rejection.SENDER_MISMATCH);
    }

    @Test
    void repliesForgedInOtherReplicasNamesAreNotCounted() {
        // Without sender authentication, two forged replies would make a bogus result reach f + 1.
        Behaviour forger = new Behaviour() {
            @Override
            public List<Outbound> onOutbound(BehaviourContext context, Outbound outbound) {
                return List.of(outbound);
            }

            @Override
            public List<Reply> onReply(BehaviourContext context, Reply reply) {
                ByteString bogus = ByteString.copyFromUtf8("bogus");
                return List.of(
                        new Reply(reply.view(), reply.clientId(), reply.timestamp(), 1, bogus),
                        new Reply(reply.view(), reply.clientId(), reply.timestamp(), 2, bogus));
            }

            @Override
            public boolean isCorrect() {
                return false;
            }
        };

        SimulationResult result =
                new Simulation(LOSSY, KeyValueStateMachine::new, id -> id == 3 ? forger : Behaviour.honest()).run();

        assertThat(result.passed()).withFailMessage(result::report).isTrue();
        assertThat(result.history().clients()).flatMap(c -> c.operations())
                .noneSatisfy(op -> assertThat(op.result().toStringUtf8()).isEqualTo("bogus"));
    }

    @Test
    void anyDeterministicServiceCanBeSimulated() {
        SimulationResult result =
                new Simulation(LOSSY, AppendLogStateMachine::new, id -> Behaviour.honest()).run();

        assertThat(result.passed()).withFailMessage(result::report).isTrue();
        assertThat(result.history().checkpointDigests().get(0)).isNotEmpty();
    }

    @Test
    void aServiceThatDivergesOnOneReplicaIsCaughtAtTheNextCheckpoint() {
        SimulationResult result =
                new Simulation(LOSSY, divergingOnInstance(2), id -> Behaviour.honest()).run();

        assertThat(result.passed()).isFalse();
        assertThat(result.stopReason()).isEqualTo(StopReason.VIOLATION);
        assertThat(result.violations())
                .anySatisfy(v -> assertThat(v.checker()).isEqualTo(CheckpointAgreementChecker.NAME));
        assertThat(result.toString()).contains("replay: scripts/pbft simulate --seed 1 --loss 0.05 --duplicate 0.05");
    }

    @Test
    void aReplicaThatThrowsIsReportedAsAViolationInsteadOfCrashingTheRun() {
        Supplier<StateMachine> throwingDigests = () -> new AppendLogStateMachine() {
            @Override
            public byte[] stateDigest() {
                throw new IllegalStateException("digest unavailable");
            }
        };

        SimulationResult result = new Simulation(LOSSY, throwingDigests, id -> Behaviour.honest()).run();

        assertThat(result.passed()).isFalse();
        assertThat(result.violations()).first()
                .satisfies(v -> assertThat(v.message()).contains("threw", "digest unavailable"));
    }

    /** Every instance but the {@code faulty}-th (0-based) is a correct key-value store. */
    private static Supplier<StateMachine> divergingOnInstance(int faulty) {
        int[] created = {0};
        return () -> {
            KeyValueStateMachine store = new KeyValueStateMachine();
            if (created[0]++ != faulty) {
                return store;
            }
            // Silently keeps an extra key: its results may still match, its state does not.
            store.execute(KvOps.put("stray", "value"));
            return store;
        };
    }
}
