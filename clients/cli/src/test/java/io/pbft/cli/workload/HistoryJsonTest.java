package io.pbft.cli.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryJsonTest {

    private static final long CLIENT = 4611686018427387904L;

    @Test
    void anAnsweredGetOfAnAbsentKeyHasNullOutput() {
        HistoryEntry entry = new HistoryEntry(CLIENT, PlannedOp.get("k1"), 100, 250, OpStatus.OK,
                new HistoryEntry.Output.Read(Optional.empty()));

        assertThat(HistoryJson.toJson(entry)).isEqualTo(
                "{\"client\":4611686018427387904,\"op\":\"get\",\"key\":\"k1\",\"call\":100,\"ret\":250,"
                        + "\"status\":\"ok\",\"output\":null}");
    }

    @Test
    void anAnsweredGetRecordsTheValueItRead() {
        HistoryEntry entry = new HistoryEntry(7, PlannedOp.get("k"), -5, 3, OpStatus.OK,
                new HistoryEntry.Output.Read(Optional.of("r1-0-3")));

        assertThat(HistoryJson.toJson(entry)).isEqualTo(
                "{\"client\":7,\"op\":\"get\",\"key\":\"k\",\"call\":-5,\"ret\":3,\"status\":\"ok\","
                        + "\"output\":\"r1-0-3\"}");
    }

    @Test
    void aPutHasAValueAndNoOutput() {
        HistoryEntry entry = new HistoryEntry(7, PlannedOp.put("k", "v"), 1, 2, OpStatus.OK,
                HistoryEntry.Output.NONE);

        assertThat(HistoryJson.toJson(entry)).isEqualTo(
                "{\"client\":7,\"op\":\"put\",\"key\":\"k\",\"value\":\"v\",\"call\":1,\"ret\":2,\"status\":\"ok\"}");
    }

    @Test
    void aCasRecordsExpectedNewValueAndWhetherItSwapped() {
        HistoryEntry swapped = new HistoryEntry(7, PlannedOp.cas("k", "old", "new"), 1, 2, OpStatus.OK,
                new HistoryEntry.Output.Swapped(true));
        HistoryEntry mismatch = new HistoryEntry(7, PlannedOp.cas("k", null, "new"), 1, 2, OpStatus.OK,
                new HistoryEntry.Output.Swapped(false));

        assertThat(HistoryJson.toJson(swapped)).isEqualTo("{\"client\":7,\"op\":\"cas\",\"key\":\"k\","
                + "\"value\":\"new\",\"expected\":\"old\",\"call\":1,\"ret\":2,\"status\":\"ok\",\"output\":true}");
        assertThat(HistoryJson.toJson(mismatch)).isEqualTo("{\"client\":7,\"op\":\"cas\",\"key\":\"k\","
                + "\"value\":\"new\",\"expected\":null,\"call\":1,\"ret\":2,\"status\":\"ok\",\"output\":false}");
    }

    @Test
    void anUnknownOutcomeHasNoRetAndNoOutput() {
        HistoryEntry entry = new HistoryEntry(7, PlannedOp.delete("k"), 10, HistoryEntry.NOT_RETURNED,
                OpStatus.UNKNOWN, HistoryEntry.Output.NONE);

        assertThat(HistoryJson.toJson(entry))
                .isEqualTo("{\"client\":7,\"op\":\"delete\",\"key\":\"k\",\"call\":10,\"status\":\"unknown\"}")
                .doesNotContain("ret", "output");
    }

    @Test
    void aFailedOperationHasARetAndNoOutput() {
        HistoryEntry entry = new HistoryEntry(7, PlannedOp.get("k"), 10, 12, OpStatus.FAIL,
                HistoryEntry.Output.NONE);

        assertThat(HistoryJson.toJson(entry))
                .isEqualTo("{\"client\":7,\"op\":\"get\",\"key\":\"k\",\"call\":10,\"ret\":12,\"status\":\"fail\"}");
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() {
        assertThat(literal("a\"b\\c/d")).isEqualTo("\"a\\\"b\\\\c/d\"");
        assertThat(literal("line\nnext\r\ttab\b\f")).isEqualTo("\"line\\nnext\\r\\ttab\\b\\f\"");
        assertThat(literal("\u0000\u0001\u001f\u007f")).isEqualTo("\"\\u0000\\u0001\\u001f\\u007f\"");
        assertThat(literal("sep\u2028par\u2029")).isEqualTo("\"sep\\u2028par\\u2029\"");
    }

    @Test
    void nonAsciiTextStaysAsIsButLoneSurrogatesAreEscaped() {
        assertThat(literal("café \uD83D\uDE00 日本")).isEqualTo("\"café \uD83D\uDE00 日本\"");
        assertThat(literal("lone \uD83D end")).isEqualTo("\"lone \\ud83d end\"");
        assertThat(literal("\uDE00\uD83D")).isEqualTo("\"\\ude00\\ud83d\"");
    }

    @Test
    void nullIsWrittenAsTheJsonNullLiteral() {
        assertThat(literal(null)).isEqualTo("null");
    }

    @Test
    void randomStringsRoundTripThroughTheParser() throws MalformedHistoryException {
        long seed = Long.getLong("pbft.seed", new SplittableRandom().nextLong());
        SplittableRandom random = new SplittableRandom(seed);
        for (int run = 0; run < 2_000; run++) {
            String text = RandomText.of(random);
            String json = literal(text);
            String replay = "replay: mvn -B -pl clients test -Dtest=HistoryJsonTest -Dpbft.seed=" + seed;
            HistoryEntry put = new HistoryEntry(1, PlannedOp.put("k", text), 1, 2, OpStatus.OK, HistoryEntry.Output.NONE);
            assertThat(HistoryParser.parse(HistoryJson.toJson(put)).op().value()).as("%s; json %s", replay, json)
                    .isEqualTo(text);
            assertThat(json.chars().noneMatch(c -> c < 0x20)).as("%s; raw control character in %s", replay, json)
                    .isTrue();
            assertThat(surrogatesPaired(json)).as("%s; raw lone surrogate in %s", replay, json).isTrue();
        }
    }

    @Test
    void aHistoryFileHasOneObjectPerLineInCallOrder(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/history.jsonl");
        List<HistoryEntry> entries = List.of(
                new HistoryEntry(2, PlannedOp.put("k", "v\nw"), 30, 40, OpStatus.OK, HistoryEntry.Output.NONE),
                new HistoryEntry(1, PlannedOp.get("k"), 10, HistoryEntry.NOT_RETURNED, OpStatus.UNKNOWN,
                        HistoryEntry.Output.NONE));

        long lines = HistoryWriter.write(file, entries);

        assertThat(lines).isEqualTo(2);
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).containsExactly(
                "{\"client\":1,\"op\":\"get\",\"key\":\"k\",\"call\":10,\"status\":\"unknown\"}",
                "{\"client\":2,\"op\":\"put\",\"key\":\"k\",\"value\":\"v\\nw\",\"call\":30,\"ret\":40,"
                        + "\"status\":\"ok\"}");
    }

    /** Whether every surrogate in {@code json} belongs to a pair, so that it has a UTF-8 encoding. */
    private static boolean surrogatesPaired(String json) {
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String literal(String text) {
        StringBuilder json = new StringBuilder();
        HistoryJson.appendString(json, text);
        return json.toString();
    }
}
