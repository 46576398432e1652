package io.pbft.cli;

import io.pbft.config.ConfigException;
import io.pbft.crypto.KeyFileException;
import io.pbft.node.ReplicaCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code scripts/pbft}: the command-line tool. The client commands live here; {@code replica}
 * comes from the {@code pbft} module, and modules above this one ({@code simulate}, {@code bench})
 * add theirs through {@link SubcommandProvider}.
 */
@Command(name = "pbft", mixinStandardHelpOptions = true, versionProvider = PbftCli.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {"A PBFT (Byzantine fault tolerant) replicated key-value store: keys, replicas, clients,"
                + " simulation and benchmarks.", "Run `pbft COMMAND --help` for a command's options."})
public final class PbftCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The full command tree, with every subcommand found on the class path. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new PbftCli());
        commandLine.addSubcommand("keygen", new KeygenCommand());
        commandLine.addSubcommand("replica", new ReplicaCommand());
        commandLine.addSubcommand("put", new PutCommand());
        commandLine.addSubcommand("get", new GetCommand());
        commandLine.addSubcommand("cas", new CasCommand());
        commandLine.addSubcommand("delete", new DeleteCommand());
        commandLine.addSubcommand("txn", new TxnCommand());
        commandLine.addSubcommand("invoke", new InvokeCommand());
        commandLine.addSubcommand("workload", new WorkloadCommand());
        commandLine.addSubcommand("status", new StatusCommand());
        commandLine.addSubcommand("evidence", new EvidenceCommand());
        commandLine.addSubcommand("fault", new FaultCommand());
        for (SubcommandProvider provider : providers()) {
            commandLine.addSubcommand(provider.name(), provider.command());
        }
        commandLine.setExecutionExceptionHandler(new ErrorReporter());
        return commandLine;
    }

    /** Contributed subcommands, by name, so that help lists them in a stable order. */
    static List<SubcommandProvider> providers() {
        return StreamSupport.stream(ServiceLoader.load(SubcommandProvider.class).spliterator(), false)
                .sorted(Comparator.comparing(SubcommandProvider::name))
                .collect(Collectors.toList());
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }

    /**
     * Prints what went wrong in one line, without a stack trace: a bad config or key file, an
     * operation without an answer, an I/O error. Anything else is a bug, shown with its type.
     */
    static final class ErrorReporter implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception failure, CommandLine commandLine,
                CommandLine.ParseResult parseResult) {
            commandLine.getErr().println("pbft " + commandLine.getCommandName() + ": " + message(failure));
            commandLine.getErr().flush();
            return ExitCodes.FAILED;
        }

        static String message(Exception failure) {
            if (failure instanceof ConfigException || failure instanceof KeyFileException
                    || failure instanceof OperationFailedException) {
                return failure.getMessage();
            }
            if (failure instanceof UncheckedIOException || failure instanceof IOException) {
                Throwable io = failure instanceof UncheckedIOException ? failure.getCause() : failure;
                return "I/O error: " + io;
            }
            return failure.toString();
        }
    }

    /** The version from the jar's manifest, or {@code dev} when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = PbftCli.class.getPackage().getImplementationVersion();
            return new String[] {"pbft " + (version == null ? "dev" : version)};
        }
    }
}
