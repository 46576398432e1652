package io.pbft.chaos.cli;

import io.pbft.chaos.check.history.HistoryChecker;
import io.pbft.chaos.check.history.HistoryLine;
import io.pbft.chaos.check.history.HistoryReader;
import io.pbft.chaos.check.history.HistoryReport;
import io.pbft.chaos.check.history.Verdict;
import io.pbft.cli.ExitCodes;
import io.pbft.cli.workload.MalformedHistoryException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pbft check-history FILE}: checks a history of {@code pbft workload --history} for
 * linearizability. Exit code 0 when it is, 1 when it is not or the search could not decide,
 * 2 when the command line is wrong or the file cannot be read.
 */
@Command(
        name = "check-history",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Checks a history file of `pbft workload --history` (docs/history.md) for linearizability, each key"
                    + " on its own, from what the clients saw alone.",
            "Prints a line for each key that is not linearizable (with the operations where no order goes on)"
                    + " or undecided, then a summary; exit code 0 linearizable, 1 not linearizable or undecided,"
                    + " 2 usage error or unreadable file."
        })
public final class CheckHistoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The history file, one JSON object per line.")
    Path file;

    @Option(
            names = "--max-steps",
            defaultValue = "" + HistoryChecker.DEFAULT_MAX_STEPS,
            paramLabel = "N",
            description = "Search steps allowed per key before it is reported undecided; memory grows with them"
                    + " (default: ${DEFAULT-VALUE}).")
    long maxSteps;

    @Override
    public Integer call() {
        if (maxSteps < 1) {
            throw new ParameterException(spec.commandLine(), "--max-steps must be at least 1, was " + maxSteps);
        }
        List<HistoryLine> lines;
        try {
            lines = HistoryReader.read(file);
        } catch (IOException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("pbft check-history: " + message(e));
            err.flush();
            return ExitCodes.USAGE;
        }
        HistoryReport report = HistoryChecker.check(lines, maxSteps);
        PrintWriter out = spec.commandLine().getOut();
        report.lines().forEach(out::println);
        out.flush();
        return report.verdict() == Verdict.LINEARIZABLE ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private String message(IOException e) {
        if (e instanceof MalformedHistoryException) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException) {
            return file + ": no such file";
        }
        return "cannot read " + file + ": " + e;
    }
}
