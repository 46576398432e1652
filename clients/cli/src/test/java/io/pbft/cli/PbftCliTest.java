package io.pbft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.client.ClusterHealth;
import io.pbft.client.ReplicaStatus;
import io.pbft.config.ClusterConfig;
import io.pbft.config.ReplicaEndpoint;
import io.pbft.core.ReplicaConfig;
import io.pbft.crypto.SigningKey;
import io.pbft.statemachine.kv.Transaction;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PbftCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final String previousDefault = System.getProperty(ClusterOptions.DEFAULT_CONFIG_PROPERTY);

    @AfterEach
    void restoreDefaultConfig() {
        if (previousDefault == null) {
            System.clearProperty(ClusterOptions.DEFAULT_CONFIG_PROPERTY);
        } else {
            System.setProperty(ClusterOptions.DEFAULT_CONFIG_PROPERTY, previousDefault);
        }
    }

    private int run(String... args) {
        CommandLine commandLine = PbftCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void everyBuiltInCommandIsThere() {
        assertThat(PbftCli.commandLine().getSubcommands().keySet())
                .contains("keygen", "replica", "put", "get", "cas", "delete", "txn", "workload", "status");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String name : PbftCli.commandLine().getSubcommands().keySet()) {
            StringWriter help = new StringWriter();
            CommandLine commandLine = PbftCli.commandLine();
            commandLine.setOut(new PrintWriter(help, true));

            int exitCode = commandLine.execute(name, "--help");

            assertThat(exitCode).as("pbft %s --help", name).isZero();
            assertThat(help.toString()).as("pbft %s --help", name).contains("Usage: pbft " + name);
        }
    }

    @Test
    void topLevelHelpListsTheCommands() {
        int exitCode = run("--help");

        assertThat(exitCode).isZero();
        assertThat(out.toString()).contains("Usage: pbft", "keygen", "workload", "status", "txn");
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run()).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("missing command");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertThat(run("frobnicate")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("frobnicate");
    }

    @Test
    void aClientCommandWithoutConfigAndWithoutALocalClusterSaysWhatToDo(@TempDir Path dir) {
        Path missing = dir.resolve(".cluster/cluster.properties");
        System.setProperty(ClusterOptions.DEFAULT_CONFIG_PROPERTY, missing.toString());

        for (String[] args : List.of(new String[] {"get", "k"}, new String[] {"put", "k", "v"},
                new String[] {"status"}, new String[] {"workload"}, new String[] {"delete", "k"},
                new String[] {"cas", "k", "v", "--expect-absent"}, new String[] {"txn", "--read", "k"})) {
            StringWriter errors = new StringWriter();
            CommandLine commandLine = PbftCli.commandLine();
            commandLine.setErr(new PrintWriter(errors, true));

            int exitCode = commandLine.execute(args);

            assertThat(exitCode).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(errors.toString()).as(String.join(" ", args))
                    .contains("no cluster config: pass --config FILE, or start the local cluster with"
                            + " `scripts/cluster.sh start`")
                    .contains(missing.toString());
        }
    }

    @Test
    void aConfigThatDoesNotExistIsAClearErrorNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");

        int exitCode = run("get", "k", "--config", missing.toString());

        assertThat(exitCode).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).isEqualTo("pbft get: " + missing + ": cluster config file not found"
                + System.lineSeparator());
    }

    @Test
    void getAgainstNoRunningClusterSaysEveryReplicaRefusedWithoutWaitingForItsTimeout(@TempDir Path dir)
            throws Exception {
        Path config = dir.resolve("cluster.properties");
        nobodyListening(4).write(config);

        // An hour's timeout: the command returns only because every replica refused the connection.
        int exitCode = run("get", "k", "--config", config.toString(), "--timeout-ms", "3600000");

        assertThat(exitCode).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).isEqualTo("pbft get: not sent to any replica, the operation did not take effect:"
                + " no replica could be reached: replicas 0, 1, 2, 3 refused connection; the request was not sent"
                + " (is the cluster running? for the local one: scripts/cluster.sh status)" + System.lineSeparator());
    }

    /** A cluster config whose ports were free a moment ago, and closed again: connections are refused. */
    private static ClusterConfig nobodyListening(int replicas) throws IOException {
        List<ReplicaEndpoint> endpoints = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        for (int id = 0; id < replicas; id++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                endpoints.add(new ReplicaEndpoint(id, "127.0.0.1", socket.getLocalPort(), socket.getLocalPort(),
                        SigningKey.generate(random).publicKey()));
            }
        }
        return new ClusterConfig(endpoints, ReplicaConfig.defaults(replicas, 0)
                .withMaxBatchBytes((1 << 20) - ClusterConfig.FRAME_ENVELOPE_BYTES), 1 << 20, 10_000);
    }

    @Test
    void theExplicitConfigWinsOverTheLocalCluster(@TempDir Path dir) {
        Path explicit = dir.resolve("a.properties");

        assertThat(ClusterOptions.resolve(explicit, dir.resolve("b.properties"), new CommandLine(new GetCommand())))
                .isEqualTo(explicit);
    }

    @Test
    void putAndGetTakeKeyAndValue() {
        PutCommand put = new PutCommand();
        new CommandLine(put).parseArgs("k", "some value", "--config", "c.properties", "--timeout-ms", "250");

        assertThat(put.key).isEqualTo("k");
        assertThat(put.value).isEqualTo("some value");
        assertThat(put.cluster.configFile()).isEqualTo(Path.of("c.properties"));
        assertThat(put.cluster.timeoutMillis()).isEqualTo(250);
        assertThat(run("put", "k")).as("a put needs a value").isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Missing required parameter: 'VALUE'");
    }

    @Test
    void casNeedsExactlyOneExpectation() {
        CasCommand expectValue = new CasCommand();
        new CommandLine(expectValue).parseArgs("k", "new", "--expect", "old");
        CasCommand expectAbsent = new CasCommand();
        new CommandLine(expectAbsent).parseArgs("k", "new", "--expect-absent");

        assertThat(expectValue.expectedOrNull()).isEqualTo("old");
        assertThat(expectAbsent.expectedOrNull()).isNull();
        assertThat(run("cas", "k", "new")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("cas", "k", "new", "--expect", "a", "--expect-absent")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("mutually exclusive");
    }

    @Test
    void txnOptionsBuildTheTransaction() {
        TxnCommand txn = new TxnCommand();
        new CommandLine(txn).parseArgs("--require", "a=1", "--require-absent", "lock", "--put", "a=2",
                "--put", "b=x=y", "--delete", "c", "--read", "a", "--read", "b");

        Transaction transaction = txn.transaction();

        assertThat(transaction).isEqualTo(Transaction.builder().require("a", "1").require("lock", null)
                .put("a", "2").put("b", "x=y").delete("c").read("a").read("b").build());
    }

    @Test
    void txnRefusesMalformedEmptyAndContradictoryTransactions() {
        assertThat(run("txn", "--put", "novalue")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--put expects KEY=VALUE, got 'novalue'");
        assertThat(run("txn")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("an empty transaction");
        assertThat(run("txn", "--put", "k=v", "--delete", "k")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("key 'k' is both put and deleted");
    }

    @Test
    void invokeRefusesHexThatIsNotBytesBeforeConnecting() {
        // No --config and no local cluster would be an error too: this one must come first.
        assertThat(run("invoke", "--hex", "abc")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--hex abc: not hexadecimal bytes");
        assertThat(run("invoke", "--hex", "zz")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("invoke")).as("the operation is required").isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Missing required option: '--hex=HEX'");
    }

    @Test
    void workloadOptionsHaveDefaultsAndAreChecked() {
        WorkloadCommand workload = new WorkloadCommand();
        new CommandLine(workload).parseArgs();

        assertThat(workload.clients).isEqualTo(4);
        assertThat(workload.ops).isEqualTo(1_000);
        assertThat(workload.keys).isEqualTo(16);
        assertThat(workload.history).isNull();
        assertThat(run("workload", "--clients", "0", "--config", "x")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--clients must be at least 1, was 0");
        assertThat(run("workload", "--keys", "0", "--config", "x")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void resultsArePrintedWithQuotedValues() {
        assertThat(PutCommand.describe("k", "a \"b\"", Optional.empty()))
                .isEqualTo("put \"k\" = \"a \\\"b\\\"\" (previous: absent)");
        assertThat(GetCommand.describe("k", Optional.of("v"))).isEqualTo("get \"k\": \"v\"");
        assertThat(DeleteCommand.describe("k", Optional.of("v"))).isEqualTo("delete \"k\" (previous: \"v\")");
        assertThat(CasCommand.describe("k", new io.pbft.statemachine.kv.KvResult.CasOutcome(false,
                Optional.of("x")))).isEqualTo("cas \"k\": not swapped, now \"x\"");
        assertThat(TxnCommand.describe(new io.pbft.statemachine.kv.KvResult.TransactionOutcome(true,
                Map.of("a", Optional.empty())))).containsExactly("txn committed", "  read \"a\": absent");
    }

    @Test
    void statusSaysWhichViewTheReplicasWorkInAndWhoIsChangingView() {
        ReplicaStatus working = new ReplicaStatus(0, true, 1, 1, false, false, 9, "ab", 8, new java.util.TreeMap<>());
        ReplicaStatus changing = new ReplicaStatus(1, true, 2, 2, true, false, 9, "ab", 8, new java.util.TreeMap<>());
        ReplicaStatus behind = new ReplicaStatus(2, true, 1, 1, false, true, 3, "cd", 8, new java.util.TreeMap<>());

        assertThat(StatusCommand.views(List.of(working, changing, behind, ReplicaStatus.unreachable(3))))
                .isEqualTo("2 replicas work in view 1; 1 replica is changing view");
    }

    @Test
    void statusFlagsEachReplicaAndSaysWhetherTwoFPlusOneMakeProgress() {
        List<ReplicaStatus> first = List.of(status(0, 1, 100, 100), status(1, 1, 100, 100), status(2, 1, 50, 50),
                status(3, 0, 100, 100));
        List<ReplicaStatus> second = List.of(status(0, 1, 156, 156), status(1, 1, 150, 156), status(2, 1, 50, 50),
                ReplicaStatus.unreachable(3));

        ClusterHealth health = ClusterHealth.judge(1, 8, 1_000, first, second);

        assertThat(health.verdicts().stream().map(verdict -> StatusCommand.describe(verdict, health)))
                .containsExactly(
                        "replica 0: view 1, primary 1, last executed 156 (+56 in 1000 ms), stable checkpoint 152,"
                                + " behind 0, state digest ab",
                        "replica 1: view 1, primary 1, last executed 150 (+50 in 1000 ms), stable checkpoint 144,"
                                + " behind 6, state digest ab",
                        "replica 2: view 1, primary 1, last executed 50 (+0 in 1000 ms), stable checkpoint 48,"
                                + " behind 106, state digest ab -- LAGGING: 106 behind the most advanced replica (more"
                                + " than 8); STUCK: executed nothing in 1000 ms while replica 0 executed 56",
                        "replica 3: unreachable");
        assertThat(StatusCommand.summary(health))
                .isEqualTo("2 of 4 replicas make progress (2f + 1 = 3 must, f = 1): the cluster cannot order requests");
    }

    @Test
    void statusNamesAReplicaInAnotherViewAndWorkThatWaits() {
        List<ReplicaStatus> polls = List.of(status(0, 2, 10, 12), status(1, 2, 10, 12), status(2, 2, 10, 12),
                status(3, 1, 10, 10));

        ClusterHealth health = ClusterHealth.judge(1, 8, 500, polls, polls);

        assertThat(StatusCommand.describe(health.verdicts().get(0), health))
                .endsWith("-- STUCK: executed nothing in 500 ms with work waiting up to sequence number 12");
        assertThat(StatusCommand.describe(health.verdicts().get(3), health))
                .endsWith("-- OTHER VIEW: the quorum works in view 2");
        assertThat(StatusCommand.summary(health)).startsWith("0 of 4 replicas make progress");
    }

    @Test
    void statusSaysWhenAReplicaMissedTheFirstPoll() {
        ClusterHealth health = ClusterHealth.judge(0, 8, 1_000, List.of(ReplicaStatus.unreachable(0)),
                List.of(status(0, 0, 5, 5)));

        assertThat(StatusCommand.describe(health.verdicts().get(0), health)).isEqualTo("replica 0: view 0, primary 0,"
                + " last executed 5 (no answer to the first poll: progress not measured), stable checkpoint 0,"
                + " behind 0, state digest ab");
    }

    private static ReplicaStatus status(int id, long view, long lastExecuted, long highestSequence) {
        return new ReplicaStatus(id, true, view, (int) (view % 4), false, false, lastExecuted, "ab",
                lastExecuted / 8 * 8, new java.util.TreeMap<>(), highestSequence);
    }

    @Test
    void theSettingsGivenBecomeOneCommandAndNoneMeansShow() {
        FaultCommand command = new FaultCommand();
        CommandLine cli = new CommandLine(command);

        cli.parseArgs("--port", "1", "--clear", "--cut", "0,2", "--drop", "0.5", "--delay-ms", "30");
        assertThat(command.command()).isEqualTo("clear cut=0,2 drop=0.5 delay-ms=30");

        FaultCommand nothing = new FaultCommand();
        new CommandLine(nothing).parseArgs("--port", "1");
        assertThat(nothing.command()).isEqualTo("show");

        FaultCommand heal = new FaultCommand();
        new CommandLine(heal).parseArgs("--port", "1", "--heal");
        assertThat(heal.command()).isEqualTo("cut=none");
    }

    @Test
    void healAndCutTogetherOrNoTargetAreUsageErrors() {
        assertThat(run("fault", "--port", "1", "--heal", "--cut", "1")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--heal and --cut");

        assertThat(run("fault", "--drop", "0.1")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("give either --replica N or --port PORT");
    }

    @Test
    void aPortWithoutAReplicaBehindItFailsAndSaysWhatToCheck() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free once closed: nothing listens there
        }

        assertThat(run("fault", "--port", "" + port, "--cut", "1", "--timeout-ms", "2000")).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("no fault-control port at 127.0.0.1:" + port)
                .contains("started with --fault-control");
    }
}
