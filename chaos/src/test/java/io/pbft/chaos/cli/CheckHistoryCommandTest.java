package io.pbft.chaos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.cli.SubcommandProvider;
import io.pbft.cli.workload.HistoryEntry;
import io.pbft.cli.workload.HistoryEntry.Output;
import io.pbft.cli.workload.HistoryWriter;
import io.pbft.cli.workload.OpStatus;
import io.pbft.cli.workload.PlannedOp;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckHistoryCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = new CommandLine(new CheckHistoryCommand());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    /** put "a" then a get by another client, written by the workload's own writer. */
    private Path history(String read, long getCall) throws IOException {
        Path file = dir.resolve("history.jsonl");
        HistoryWriter.write(file, List.of(
                new HistoryEntry(1, PlannedOp.put("k1", "a"), 0, 10, OpStatus.OK, Output.NONE),
                new HistoryEntry(1, PlannedOp.put("k1", "b"), 20, 30, OpStatus.OK, Output.NONE),
                new HistoryEntry(2, PlannedOp.get("k1"), getCall, getCall + 10, OpStatus.OK,
                        new Output.Read(Optional.of(read))),
                new HistoryEntry(2, PlannedOp.delete("k2"), 5, HistoryEntry.NOT_RETURNED, OpStatus.UNKNOWN,
                        Output.NONE),
                new HistoryEntry(3, PlannedOp.put("k2", "c"), 5, 8, OpStatus.FAIL, Output.NONE)));
        return file;
    }

    @Test
    void aLinearizableHistoryPrintsOnlyTheSummaryAndExitsZero() throws IOException {
        int exitCode = run(history("b", 40).toString());

        assertThat(exitCode).isZero();
        assertThat(out.toString()).isEqualTo(
                "5 operations (ok 3, fail 1, unknown 1) on 2 keys: linearizable" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aViolationNamesTheKeyAndItsOperationsAndExitsOne() throws IOException {
        int exitCode = run(history("a", 40).toString());

        assertThat(exitCode).isEqualTo(1);
        assertThat(out.toString())
                .startsWith("key \"k1\": not linearizable (3 operations)")
                .contains("line 5: get -> \"a\" by client 2 [call 40, ret 50]: impossible while the key holds \"b\"")
                .doesNotContain("key \"k2\"")
                .endsWith("on 2 keys: not linearizable (1 key not linearizable)" + System.lineSeparator());
    }

    @Test
    void anUndecidedKeyExitsOne() throws IOException {
        int exitCode = run("--max-steps", "1", history("b", 40).toString());

        assertThat(exitCode).isEqualTo(1);
        assertThat(out.toString()).contains("key \"k1\": undecided", "the search stopped at its limit of 1 steps");
    }

    @Test
    void aMalformedLineIsAUsageErrorNamingFileAndLine() throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"client\":1,\"op\":\"get\",\"key\":\"k\",\"call\":1,\"status\":\"unknown\"}\n"
                + "{\"client\":1,\"op\":\"get\"\n", StandardCharsets.UTF_8);

        int exitCode = run(file.toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pbft check-history: " + file + " line 2: column 23: expected '}'"
                + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aFileThatIsNotUtf8IsAUsageError() throws IOException {
        Path file = dir.resolve("latin1.jsonl");
        Files.write(file, new byte[] {'{', '"', (byte) 0xE9, '"', '}', '\n'});

        assertThat(run(file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(file + " after line 0: not UTF-8 text");
    }

    @Test
    void aMissingFileIsAUsageError() {
        Path missing = dir.resolve("missing.jsonl");

        assertThat(run(missing.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pbft check-history: " + missing + ": no such file"
                + System.lineSeparator());
    }

    @Test
    void badArgumentsAreUsageErrors() throws IOException {
        assertThat(run()).isEqualTo(2);
        assertThat(run("--max-steps", "0", history("b", 40).toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--max-steps must be at least 1, was 0");
    }

    @Test
    void theCommandIsRegisteredAsASubcommandOfPbft() {
        assertThat(ServiceLoader.load(SubcommandProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(provider -> {
                    assertThat(provider.name()).isEqualTo("check-history");
                    assertThat(provider.command()).isInstanceOf(CheckHistoryCommand.class);
                });
    }
}
