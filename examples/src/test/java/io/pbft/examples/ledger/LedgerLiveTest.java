package io.pbft.examples.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.chaos.live.ReplicaProcesses;
import io.pbft.cli.KeygenCommand;
import io.pbft.client.PbftClient;
import io.pbft.client.ReplicaStatus;
import io.pbft.config.ClusterConfig;
import io.pbft.core.ReplicaConfig;
import io.pbft.crypto.KeyFile;
import io.pbft.crypto.KeyIdentity;
import io.pbft.crypto.SigningKey;
import io.pbft.examples.PayAFriend;
import io.pbft.node.LocalCluster;
import io.pbft.testing.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger as an operator runs it: four replica processes started as {@code pbft replica
 * --service io.pbft.examples.ledger.LedgerStateMachine} (from this test's class path, as {@code
 * scripts/pbft} does with {@code PBFT_CLASSPATH}), and several clients transferring at once, each
 * on its own thread with its own identity.
 */
class LedgerLiveTest {

    private static final int REPLICAS = 4;
    private static final int CLIENTS = 4;
    private static final int TRANSFERS_PER_CLIENT = 40;
    private static final long OPENING_DEPOSIT = 1_000;
    /** Larger than a quarter of an opening deposit, so that some transfers would overdraw and are refused. */
    private static final int MAX_TRANSFER = 400;
    private static final long OP_TIMEOUT_MILLIS = 10_000;
    private static final Duration READY = Duration.ofSeconds(60);

    /** Kept when the test fails: the replicas' logs and config, for a post-mortem. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private ReplicaProcesses replicas;
    private final List<LedgerClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(LedgerClient::close);
        if (replicas != null) {
            replicas.close();
        }
    }

    @Test
    void transfersFromSeveralClientsConserveMoneyAndLeaveEqualStateDigests() throws Exception {
        startLedgerReplicas(ReplicaConfig.defaults(REPLICAS, 0).withWindow(16, 4).withInvariantChecks(true));
        for (int i = 0; i < CLIENTS; i++) {
            LedgerClient client = new LedgerClient(PbftClient.builder().cluster(replicas.config())
                    .timeoutMillis(OP_TIMEOUT_MILLIS).build());
            clients.add(client);
            assertThat(Await.result(client.open(account(i)))).isZero();
            assertThat(Await.result(client.deposit(account(i), OPENING_DEPOSIT))).isEqualTo(OPENING_DEPOSIT);
        }

        assertThat(PayAFriend.refusal(clients.get(0).transfer(account(1), account(0), 1)))
                .isEqualTo(LedgerResult.Reason.NOT_OWNER);
        assertThat(PayAFriend.refusal(clients.get(0).transfer(account(0), account(1), Long.MAX_VALUE)))
                .isEqualTo(LedgerResult.Reason.INSUFFICIENT_FUNDS);

        long refused = runTransfersConcurrently();

        long total = 0;
        for (int i = 0; i < CLIENTS; i++) {
            long balance = Await.result(clients.get(i).balance(account(i)));
            assertThat(balance).as("balance of %s", account(i)).isNotNegative();
            total += balance;
        }
        assertThat(total).as("money conserved").isEqualTo(CLIENTS * OPENING_DEPOSIT);
        assertThat(refused).as("some transfers would have overdrawn").isPositive()
                .isLessThan((long) CLIENTS * TRANSFERS_PER_CLIENT);
        // The README's example, as a fifth client: its 100.00 comes in, 25.00 of it goes to client 1.
        assertThat(PayAFriend.payAFriend(replicas.config(), "friend", account(1))).isEqualTo(7_500);
        assertThat(Await.result(clients.get(1).balance("friend"))).isEqualTo(7_500);
        List<ReplicaStatus> statuses = awaitEqualStates();
        assertThat(statuses).extracting(ReplicaStatus::stateDigestHex).doesNotContain("").hasSize(REPLICAS);
        for (int id = 0; id < REPLICAS; id++) {
            assertThat(replicas.log(id).lines()).as("replica %d's log", id).noneMatch(line -> line.contains(" ERROR "));
        }
    }

    /** Each client transfers from its own account on its own thread; returns how many were refused. */
    private long runTransfersConcurrently() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Long>> refusals = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int payer = i;
                refusals.add(threads.submit(() -> transfers(payer, new Random(31L * payer + 7))));
            }
            long refused = 0;
            for (Future<Long> refusal : refusals) {
                refused += refusal.get(2 * Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            return refused;
        } finally {
            threads.shutdownNow();
        }
    }

    private long transfers(int payer, Random random) throws Exception {
        long refused = 0;
        for (int t = 0; t < TRANSFERS_PER_CLIENT; t++) {
            int payee = (payer + 1 + random.nextInt(CLIENTS - 1)) % CLIENTS;
            CompletableFuture<Long> transfer =
                    clients.get(payer).transfer(account(payer), account(payee), 1 + random.nextInt(MAX_TRANSFER));
            try {
                assertThat(transfer.get(2 * OP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isNotNegative();
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(LedgerRefusedException.class);
                assertThat(((LedgerRefusedException) e.getCause()).reason())
                        .isEqualTo(LedgerResult.Reason.INSUFFICIENT_FUNDS);
                refused++;
            }
        }
        return refused;
    }

    /** Waits (bounded) until the four replicas executed as far as each other and hold the same state. */
    private List<ReplicaStatus> awaitEqualStates() {
        AtomicReference<List<ReplicaStatus>> last = new AtomicReference<>(List.of());
        Await.until(() -> {
            last.set(replicas.statuses());
            ReplicaStatus first = last.get().get(0);
            return last.get().stream().allMatch(s -> s.reachable() && s.lastExecuted() == first.lastExecuted()
                    && s.stateDigestHex().equals(first.stateDigestHex()));
        }, Duration.ofMillis(100), () -> "four replicas at the same state\n" + replicas.describe(last.get()));
        return last.get();
    }

    private static String account(int client) {
        return "client-" + client;
    }

    /** Four replica JVMs running the ledger, with fresh keys under {@link #dir}; retried on a port taken meanwhile. */
    private void startLedgerReplicas(ReplicaConfig protocol) throws IOException {
        SecureRandom random = new SecureRandom();
        List<SigningKey> keys = new ArrayList<>();
        for (int id = 0; id < REPLICAS; id++) {
            SigningKey key = SigningKey.generate(random);
            KeyFile.replace(KeygenCommand.keyFile(dir, id), KeyIdentity.replica(id, key));
            keys.add(key);
        }
        ReplicaProcesses.Launch launch = new ReplicaProcesses.Launch(System.getProperty("java.class.path"),
                List.of("-Xmx256m", "-XX:+UseSerialGC")).withService(LedgerStateMachine.class.getName());
        replicas = LocalCluster.startWithRetry(keys, protocol, ClusterConfig.DEFAULT_MAX_FRAME_BYTES,
                config -> ReplicaProcesses.startReady(config, dir, launch, READY));
    }
}
