package io.pbft.chaos.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.chaos.check.history.HistoryLine;
import io.pbft.cli.KeygenCommand;
import io.pbft.cli.workload.OpStatus;
import io.pbft.client.ReplicaStatus;
import io.pbft.config.ClusterConfig;
import io.pbft.config.ReplicaEndpoint;
import io.pbft.core.ReplicaConfig;
import io.pbft.crypto.SigningKey;
import io.pbft.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Four replica JVMs, each in a Linux network namespace of its own, linked by veth pairs to a bridge
 * in a "switch" namespace, and the clients in a fifth namespace on the same bridge, in a JVM of their
 * own ({@link ClientNamespaceAgent}); nothing is added to the host's namespace ({@link
 * NetworkNamespaces}), where this JVM stays and only asks the agent. Under a recorded workload the
 * test pulls the cable of a backup, then of the primary, and plugs each back: the kernel, not the
 * replicas, loses the traffic. The cluster must go on with three, vote the cut primary out, take both
 * back, agree in the end, and give the clients a linearizable history, checked by the project's
 * checker as {@code pbft check-history} does. Skipped, saying why, where this machine allows no
 * namespaces (not root, or a container without them).
 */
class NetworkNamespacesLiveTest extends LiveClusterTest {

    private static final int PRIMARY = 0;
    private static final int BACKUP = 3;
    private static final long OPS_BEFORE = 150;
    private static final long OPS_PER_CUT = 100;
    private static final long OPS_AFTER = 100;
    /** Each replica has a namespace, and so a port space, of its own: the same ports serve all. */
    private static final int REPLICA_PORT = 7000;
    private static final int CLIENT_PORT = 7100;
    private static final Duration POLL = Duration.ofMillis(100);

    private NetworkNamespaces namespaces;
    private ClientNamespaceAgent.Handle agent;

    @AfterEach
    void removeNamespaces() {
        // The processes first: a namespace that still holds one outlives its name.
        if (agent != null) {
            agent.close();
        }
        stopReplicas();
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @Test
    void cutsOfABackupAndOfThePrimaryBetweenNamespacesLeaveALinearizableHistory() throws Exception {
        namespaces = NetworkNamespaces.create(REPLICAS);
        System.out.println(testName() + ": " + namespaces.describe());
        ReplicaConfig protocol = smallWindow(2048, 128);
        ClusterConfig config = config(writeKeys(REPLICAS), protocol);
        ReplicaProcesses.Launch launch = launch();
        for (int id = 0; id < REPLICAS; id++) {
            launch = launch.withPrefix(id, namespaces.exec(id));
        }
        replicas = ReplicaProcesses.start(config, dir, launch);
        agent = ClientNamespaceAgent.Handle.start(namespaces.clientExec(), dir.resolve(KeygenCommand.CONFIG_FILE),
                historyFile(), dir.resolve("logs").resolve("client-agent.log"), settings());
        awaitAgentStatuses(statuses -> statuses.stream().allMatch(ReplicaStatus::reachable),
                "every replica answering the client namespace");

        agent.startWorkload();
        awaitAgentSettled(OPS_BEFORE, "operations settled before any cut");
        namespaces.cut(BACKUP);
        awaitAgentSettled(agent.settled() + OPS_PER_CUT, "operations settled with backup 3 cut off");
        namespaces.heal(BACKUP);
        namespaces.cut(PRIMARY);
        awaitAgentStatuses(LiveClusterTest::othersThanZeroWorkInANewView,
                "replicas 1 to 3 in a view above 0, not changing view, while replica 0 is cut off");
        awaitAgentSettled(agent.settled() + OPS_PER_CUT, "operations settled with the primary cut off");
        namespaces.heal(PRIMARY);
        long issued = agent.finishAfter(OPS_AFTER);
        List<ReplicaStatus> end = awaitAgentStatuses(LiveClusterTest::allAgree,
                "all four in one view with the same last executed and state, every cable back");

        List<HistoryLine> lines = assertLinearizable(historyFile(), issued);
        assertThat(lines).filteredOn(line -> line.entry().status() == OpStatus.OK)
                .hasSizeGreaterThanOrEqualTo((int) (OPS_BEFORE + 2 * OPS_PER_CUT));
        assertThat(end).extracting(ReplicaStatus::view).allMatch(view -> view >= 1);
        assertNoErrorLogged();
    }

    /**
     * As {@link #awaitStatuses}, with the statuses the agent in the client namespace queried: this
     * JVM reaches no replica. Fails at once if a replica exited.
     */
    private List<ReplicaStatus> awaitAgentStatuses(Predicate<List<ReplicaStatus>> condition, String what) {
        AtomicReference<List<ReplicaStatus>> last = new AtomicReference<>(List.of());
        Await.until(() -> {
            assertThat(replicas.allAlive()).as("every replica running, waiting for: %s\n%s", what,
                    replicas.describe(last.get())).isTrue();
            last.set(ask(agent::statuses));
            return condition.test(last.get());
        }, POLL, () -> what + "\n" + replicas.describe(last.get()));
        return last.get();
    }

    /** As {@link #awaitSettled}, counting through the agent; fails if the workload ended first. */
    private void awaitAgentSettled(long count, String what) {
        AtomicLong settled = new AtomicLong();
        Await.until(() -> {
            settled.set(ask(agent::settled));
            return settled.get() < 0 || settled.get() >= count;
        }, POLL, () -> count + " " + what + ", " + settled.get() + " so far\n" + replicas.describe(List.of()));
        assertThat(settled.get()).as("the workload ended before %d %s", count, what).isNotNegative();
    }

    /** A question to the agent inside a condition, which may throw nothing checked: no answer fails the test. */
    private static <T> T ask(Question<T> question) {
        try {
            return question.ask();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted asking the client agent", e);
        }
    }

    private interface Question<T> {
        T ask() throws IOException, InterruptedException;
    }

    /** Replica i at the address of namespace i, on the same ports as the others. */
    private ClusterConfig config(List<SigningKey> keys, ReplicaConfig protocol) {
        List<ReplicaEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            endpoints.add(new ReplicaEndpoint(i, namespaces.address(i), REPLICA_PORT, CLIENT_PORT,
                    keys.get(i).publicKey()));
        }
        return new ClusterConfig(endpoints, protocol, ClusterConfig.DEFAULT_MAX_FRAME_BYTES,
                ClusterConfig.DEFAULT_CLIENT_RETRANSMIT_MILLIS);
    }
}
