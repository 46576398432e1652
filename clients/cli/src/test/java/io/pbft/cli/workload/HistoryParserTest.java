package io.pbft.cli.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HistoryParserTest {

    @Test
    void readsEveryKindOfLineTheWriterWrites() throws MalformedHistoryException {
        HistoryEntry[] entries = {
            new HistoryEntry(7, PlannedOp.get("k"), -5, 3, OpStatus.OK, new HistoryEntry.Output.Read(Optional.of("v"))),
            new HistoryEntry(7, PlannedOp.get("k"), 1, 2, OpStatus.OK, new HistoryEntry.Output.Read(Optional.empty())),
            new HistoryEntry(Long.MIN_VALUE, PlannedOp.put("k", "v"), 1, 2, OpStatus.OK, HistoryEntry.Output.NONE),
            new HistoryEntry(1, PlannedOp.cas("k", null, "n"), 1, 2, OpStatus.OK, new HistoryEntry.Output.Swapped(true)),
            new HistoryEntry(1, PlannedOp.cas("k", "o", "n"), 1, 2, OpStatus.OK, new HistoryEntry.Output.Swapped(false)),
            new HistoryEntry(1, PlannedOp.cas("k", "o", "n"), 1, 1, OpStatus.FAIL, HistoryEntry.Output.NONE),
            new HistoryEntry(1, PlannedOp.delete("k"), 10, HistoryEntry.NOT_RETURNED, OpStatus.UNKNOWN,
                    HistoryEntry.Output.NONE),
        };
        for (HistoryEntry entry : entries) {
            assertThat(HistoryParser.parse(HistoryJson.toJson(entry))).isEqualTo(entry);
        }
    }

    @Test
    void acceptsAnyFieldOrderAndWhitespace() throws MalformedHistoryException {
        HistoryEntry entry = HistoryParser.parse(
                " { \"status\" : \"ok\", \"ret\":2,\"call\":1 ,\"key\":\"k\",\"op\":\"put\",\"value\":\"v\",\"client\":3 } ");

        assertThat(entry).isEqualTo(new HistoryEntry(3, PlannedOp.put("k", "v"), 1, 2, OpStatus.OK,
                HistoryEntry.Output.NONE));
    }

    @Test
    void decodesEveryJsonEscape() throws MalformedHistoryException {
        HistoryEntry entry = HistoryParser.parse("{\"client\":1,\"op\":\"put\",\"key\":\"k\","
                + "\"value\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\\ud83d\",\"call\":1,\"ret\":2,\"status\":\"ok\"}");

        assertThat(entry.op().value()).isEqualTo("\"\\/\b\f\n\r\t\u00e9\uD83D\uDE00\uD83D");
    }

    @Test
    void syntaxErrorsNameTheColumn() {
        assertMalformed("", "column 1: expected '{'");
        assertMalformed("{\"client\":1,}", "column 13: expected '\"'");
        assertMalformed("{\"client\":01}", "column 12: leading zeros");
        assertMalformed("{\"client\":1.5}", "column 12: expected an integer, without fraction or exponent");
        assertMalformed("{\"client\":99999999999999999999}", "column 11: integer out of range");
        assertMalformed("{\"client\":[1]}", "column 11: nested objects and arrays");
        assertMalformed("{\"key\":\"a\tb\"}", "column 10: control character in a string must be escaped");
        assertMalformed("{\"key\":\"\\x\"}", "column 10: invalid escape");
        assertMalformed("{\"key\":\"\\u12\"}", "column 13: expected four hex digits");
        assertMalformed("{\"key\":\"abc", "column 12: unterminated string");
        assertMalformed("{\"key\":\"a\",\"key\":\"b\"}", "column 12: duplicate field \"key\"");
        assertMalformed("{} x", "column 4: unexpected text after the object");
        assertMalformed("{\"client\":tru}", "column 11: expected a value");
    }

    @Test
    void contentErrorsNameTheField() {
        String put = "\"client\":1,\"op\":\"put\",\"key\":\"k\",\"value\":\"v\",\"call\":5";
        assertMalformed("{" + put + ",\"ret\":6,\"status\":\"ok\",\"extra\":1}", "unknown field \"extra\"");
        assertMalformed("{" + put + ",\"ret\":4,\"status\":\"ok\"}", "\"ret\" 4 is before \"call\" 5");
        assertMalformed("{" + put + ",\"status\":\"ok\"}", "missing field \"ret\"");
        assertMalformed("{" + put + ",\"ret\":6,\"status\":\"unknown\"}",
                "field \"ret\" does not belong to an operation whose outcome is unknown");
        assertMalformed("{" + put + ",\"ret\":6,\"status\":\"ok\",\"output\":null}",
                "field \"output\" does not belong to a put");
        assertMalformed("{" + put + ",\"ret\":6,\"status\":\"done\"}", "unknown status \"done\"");
        assertMalformed("{\"client\":\"1\"}", "field \"client\" must be an integer");
        assertMalformed("{\"client\":1,\"op\":\"get\",\"key\":\"k\",\"value\":\"v\"}",
                "field \"value\" does not belong to a get");
        assertMalformed("{\"client\":1,\"op\":\"cas\",\"key\":\"k\",\"value\":\"v\",\"call\":1,\"ret\":2,"
                + "\"status\":\"ok\",\"output\":true}", "missing field \"expected\"");
        assertMalformed("{\"client\":1,\"op\":\"get\",\"key\":\"k\",\"call\":1,\"ret\":2,\"status\":\"ok\"}",
                "missing field \"output\" of an ok get");
        assertMalformed("{\"client\":1,\"op\":\"cas\",\"key\":\"k\",\"value\":\"v\",\"expected\":null,\"call\":1,"
                + "\"ret\":2,\"status\":\"ok\",\"output\":\"x\"}", "field \"output\" must be true or false");
        assertMalformed("{\"client\":1,\"op\":\"put\",\"key\":null}", "null field \"key\"");
    }

    @Test
    void randomEntriesRoundTrip() throws MalformedHistoryException {
        long seed = Long.getLong("pbft.seed", new SplittableRandom().nextLong());
        SplittableRandom random = new SplittableRandom(seed);
        String replay = "replay: mvn -B -pl clients test -Dtest=HistoryParserTest -Dpbft.seed=" + seed;
        for (int run = 0; run < 2_000; run++) {
            HistoryEntry entry = randomEntry(random);
            String json = HistoryJson.toJson(entry);
            assertThat(HistoryParser.parse(json)).as("%s; json %s", replay, json).isEqualTo(entry);
        }
    }

    private static HistoryEntry randomEntry(SplittableRandom random) {
        String key = RandomText.of(random);
        String value = RandomText.of(random);
        PlannedOp op = switch (random.nextInt(4)) {
            case 0 -> PlannedOp.get(key);
            case 1 -> PlannedOp.put(key, value);
            case 2 -> PlannedOp.cas(key, random.nextBoolean() ? null : RandomText.of(random), value);
            default -> PlannedOp.delete(key);
        };
        long call = random.nextLong(Long.MIN_VALUE + 1, Long.MAX_VALUE / 2);
        OpStatus status = OpStatus.values()[random.nextInt(3)];
        if (status == OpStatus.UNKNOWN) {
            return new HistoryEntry(random.nextLong(), op, call, HistoryEntry.NOT_RETURNED, status,
                    HistoryEntry.Output.NONE);
        }
        long ret = call + random.nextLong(1_000_000_000L);
        return new HistoryEntry(random.nextLong(), op, call, ret, status, output(op, status, random));
    }

    private static HistoryEntry.Output output(PlannedOp op, OpStatus status, SplittableRandom random) {
        if (status != OpStatus.OK || op.kind() == OpKind.PUT || op.kind() == OpKind.DELETE) {
            return HistoryEntry.Output.NONE;
        }
        if (op.kind() == OpKind.CAS) {
            return new HistoryEntry.Output.Swapped(random.nextBoolean());
        }
        return new HistoryEntry.Output.Read(
                random.nextBoolean() ? Optional.empty() : Optional.of(RandomText.of(random)));
    }

    private static void assertMalformed(String line, String message) {
        assertThatThrownBy(() -> HistoryParser.parse(line))
                .isInstanceOf(MalformedHistoryException.class)
                .hasMessageContaining(message);
    }
}
