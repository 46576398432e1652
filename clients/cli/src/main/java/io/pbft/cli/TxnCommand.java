package io.pbft.cli;

import io.pbft.statemachine.kv.KvResult;
import io.pbft.statemachine.kv.Transaction;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pbft txn}: a multi-key transaction, all-or-nothing:
 * {@code pbft txn --require k=v --require-absent k2 --put k=v2 --delete k3 --read k}.
 */
@Command(name = "txn", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a multi-key transaction: if every condition holds, applies every write; either way"
                + " answers the reads (values after the transaction).",
                "Exit code 0 when committed, 3 when a condition did not hold (nothing was written).",
                "Example: pbft txn --require acct=10 --require-absent lock --put acct=7 --put log=3 --delete tmp"
                        + " --read acct"})
final class TxnCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    IdentityOptions identity;

    @Option(names = "--require", paramLabel = "KEY=VALUE", description = "Condition: KEY holds VALUE.")
    List<String> require = new ArrayList<>();

    @Option(names = "--require-absent", paramLabel = "KEY", description = "Condition: KEY does not exist.")
    List<String> requireAbsent = new ArrayList<>();

    @Option(names = "--put", paramLabel = "KEY=VALUE", description = "Write: VALUE under KEY.")
    List<String> put = new ArrayList<>();

    @Option(names = "--delete", paramLabel = "KEY", description = "Write: remove KEY.")
    List<String> delete = new ArrayList<>();

    @Option(names = "--read", paramLabel = "KEY", description = "Read KEY after the transaction.")
    List<String> read = new ArrayList<>();

    /** The transaction the options describe; a usage error for a malformed or contradictory one. */
    Transaction transaction() {
        if (require.isEmpty() && requireAbsent.isEmpty() && put.isEmpty() && delete.isEmpty() && read.isEmpty()) {
            throw usage("an empty transaction: give at least one --require, --require-absent, --put, --delete"
                    + " or --read");
        }
        Transaction.Builder tx = Transaction.builder();
        for (String condition : require) {
            String[] kv = split("--require", condition);
            tx.require(kv[0], kv[1]);
        }
        requireAbsent.forEach(key -> tx.require(key, null));
        TreeSet<String> putKeys = new TreeSet<>();
        for (String write : put) {
            String[] kv = split("--put", write);
            putKeys.add(kv[0]);
            tx.put(kv[0], kv[1]);
        }
        for (String key : delete) {
            if (putKeys.contains(key)) {
                // The options' relative order is lost in parsing, so which write wins would be a guess.
                throw usage("key '" + key + "' is both put and deleted; give each key one kind of write");
            }
            tx.delete(key);
        }
        read.forEach(tx::read);
        return tx.build();
    }

    @Override
    public Integer call() throws Exception {
        Transaction transaction = transaction();
        try (ClientSession session = ClientSession.open(cluster, identity)) {
            KvResult.TransactionOutcome outcome = session.await(session.kv().transaction(transaction));
            PrintWriter out = spec.commandLine().getOut();
            describe(outcome).forEach(out::println);
            return outcome.committed() ? ExitCodes.OK : ExitCodes.NOT_APPLIED;
        }
    }

    static List<String> describe(KvResult.TransactionOutcome outcome) {
        List<String> lines = new ArrayList<>();
        lines.add(outcome.committed() ? "txn committed" : "txn aborted: a condition did not hold, nothing was written");
        for (Map.Entry<String, Optional<String>> read : outcome.reads().entrySet()) {
            lines.add("  read " + Formats.quote(read.getKey()) + ": " + Formats.valueOrAbsent(read.getValue()));
        }
        return lines;
    }

    private String[] split(String option, String keyValue) {
        int equals = keyValue.indexOf('=');
        if (equals <= 0) {
            throw usage(option + " expects KEY=VALUE, got '" + keyValue + "'");
        }
        return new String[] {keyValue.substring(0, equals), keyValue.substring(equals + 1)};
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
