package io.pbft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.config.ClusterConfig;
import io.pbft.crypto.KeyFile;
import io.pbft.node.ReplicaNode;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.statemachine.kv.KvResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The client commands against four real replicas in this JVM (Netty on 127.0.0.1), configured by
 * {@code keygen}. Small on purpose: the client's own live test covers the protocol.
 */
class LiveClusterCommandsTest {

    @TempDir
    Path dir;

    private static final int START_ATTEMPTS = 5;

    private final List<ReplicaNode> nodes = new ArrayList<>();
    private Path config;

    /**
     * Other processes on this machine may take a port between the probe and the bind: then the
     * replicas started so far stop, and keygen runs again on ports probed afresh.
     */
    @BeforeEach
    void startCluster() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            ClusterConfig cluster = KeygenCommand.generate(dir, 1, "127.0.0.1", freeBasePort(), null, true,
                    new SecureRandom());
            config = dir.resolve(KeygenCommand.CONFIG_FILE);
            try {
                for (int id = 0; id < cluster.replicaCount(); id++) {
                    nodes.add(ReplicaNode.start(cluster, id, KeyFile.read(KeygenCommand.keyFile(dir, id)).key(),
                            new KeyValueStateMachine()));
                }
                return;
            } catch (IOException e) {
                last = e;
                stopCluster();
                nodes.clear();
            }
        }
        throw last;
    }

    @AfterEach
    void stopCluster() {
        nodes.forEach(ReplicaNode::close);
    }

    private record Run(int exitCode, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = PbftCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> withConfig = new ArrayList<>(List.of(args));
        withConfig.addAll(List.of("--config", config.toString()));
        return new Run(commandLine.execute(withConfig.toArray(String[]::new)), out.toString(), err.toString());
    }

    @Test
    void keyValueCommandsPrintWhatTheClusterAnswered() {
        assertThat(run("put", "k", "v1").out()).isEqualTo("put \"k\" = \"v1\" (previous: absent)\n");
        assertThat(run("get", "k").out()).isEqualTo("get \"k\": \"v1\"\n");
        Run swapped = run("cas", "k", "v2", "--expect", "v1");
        assertThat(swapped.out()).isEqualTo("cas \"k\": swapped, now \"v2\"\n");
        Run notSwapped = run("cas", "k", "v3", "--expect", "v1");
        assertThat(notSwapped.exitCode()).isEqualTo(ExitCodes.NOT_APPLIED);
        Run txn = run("txn", "--require", "k=v2", "--put", "a=1", "--delete", "k", "--read", "a", "--read", "k");
        assertThat(txn.exitCode()).isZero();
        assertThat(txn.out()).isEqualTo("txn committed\n  read \"a\": \"1\"\n  read \"k\": absent\n");
        assertThat(run("delete", "a").out()).isEqualTo("delete \"a\" (previous: \"1\")\n");
    }

    @Test
    void invokeSendsRawBytesAndPrintsTheAgreedResultAsHex() {
        run("put", "k", "v1");

        Run get = run("invoke", "--hex", HexFormat.of().formatHex(KvOps.get("k")));

        assertThat(get.exitCode()).as(get.err()).isZero();
        byte[] result = HexFormat.of().parseHex(get.out().strip());
        assertThat(KvResult.decode(result)).isEqualTo(new KvResult.Value(Optional.of("v1")));
        // Bytes the store cannot parse are its to answer (with an error result), not the tool's to refuse.
        Run garbage = run("invoke", "--hex", "ff00ff");
        assertThat(garbage.exitCode()).as(garbage.err()).isZero();
        assertThat(KvResult.decode(HexFormat.of().parseHex(garbage.out().strip())))
                .isInstanceOf(KvResult.Invalid.class);
    }

    @Test
    void statusPrintsOneLinePerReplica() {
        run("put", "k", "v");

        Run status = run("status", "--interval-ms", "200");

        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out().lines().toList()).hasSize(6)
                .endsWith("4 of 4 replicas make progress (2f + 1 = 3 must, f = 1)", "4 replicas work in view 0");
        assertThat(status.out().lines().limit(4))
                .allMatch(line -> line.matches("replica \\d: view 0, primary 0, last executed \\d+ \\(\\+\\d+ in 200 ms\\),"
                        + " stable checkpoint \\d+, behind \\d+, state digest [0-9a-f]{64}"));
    }

    @Test
    void aClientKeyFromKeygenIsTheIdentityACommandActsAsAndAReplicaKeyIsRefused() throws IOException {
        KeygenCommand.writeClientKeys(dir, 1, false, new SecureRandom());
        Path clientKey = KeygenCommand.clientKeyFile(dir, 0);

        assertThat(run("put", "k", "v", "--key", clientKey.toString()).exitCode()).isZero();
        assertThat(run("get", "k", "--key", clientKey.toString()).out()).isEqualTo("get \"k\": \"v\"\n");

        Run replicaKey = run("get", "k", "--key", KeygenCommand.keyFile(dir, 0).toString());
        assertThat(replicaKey.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(replicaKey.err()).contains("is replica 0's key, not a client's", "keys/client-0.key");
    }

    @Test
    void evidenceSaysWhatEachReplicaHolds() {
        run("put", "k", "v");

        Run evidence = run("evidence");

        assertThat(evidence.exitCode()).as(evidence.err()).isZero();
        assertThat(evidence.out().lines().toList()).containsExactly("replica 0: holds no proof of equivocation",
                "replica 1: holds no proof of equivocation", "replica 2: holds no proof of equivocation",
                "replica 3: holds no proof of equivocation");
    }

    /**
     * The "a primary killed with -9 leaves clients with 'no answer within 10000 ms; may or
     * may not have taken effect' and nothing else". With a backup gone too, no view change can
     * replace the primary, so the request cannot complete whatever the timing.
     */
    @Test
    void aRequestWithThePrimaryAndABackupGoneSaysWhoRepliedAndThatThePrimaryRefused() {
        nodes.get(0).close();
        nodes.get(1).close();

        Run put = run("put", "k", "v", "--timeout-ms", "3000");

        assertThat(put.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(put.err()).isEqualTo("pbft put: no answer within 3000 ms from 4 replicas: 0 replied, the primary"
                + " (replica 0) refused connection; the operation may or may not have taken effect\n");
    }

    @Test
    void aWorkloadCompletesEveryOperationAndWritesItsHistory() throws IOException {
        Path history = dir.resolve("history.jsonl");

        Run workload = run("workload", "--clients", "3", "--ops", "150", "--keys", "4", "--history",
                history.toString());

        assertThat(workload.exitCode()).as(workload.out() + workload.err()).isZero();
        assertThat(workload.out()).contains("operations: 150 completed, 0 failed, 0 unknown", "latency: p50 ",
                "throughput: ", "history: " + history + " (150 operations)");
        List<String> lines = Files.readAllLines(history, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(150).allMatch(line -> line.startsWith("{\"client\":")
                && line.contains("\"status\":\"ok\"") && line.contains("\"ret\":"));
    }

    /** A base port whose replica ports (base + i) and client ports (base + 100 + i) are free now. */
    private static int freeBasePort() throws IOException {
        for (int base = 21_000; base < 40_000; base += 211) {
            boolean free = true;
            for (int i = 0; i < 4 && free; i++) {
                free = isFree(base + i) && isFree(base + KeygenCommand.CLIENT_PORT_OFFSET + i);
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no free ports on 127.0.0.1");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
