package io.pbft.cli.workload;

/**
 * Writes a {@link HistoryEntry} as one JSON object on one line, by hand: the format is small and
 * fixed, and the CLI needs no JSON library for it. Field order is fixed: client, op, key, value,
 * expected, call, ret, status, output. A field that does not apply is left out, except that a
 * compare-and-set always has {@code expected} (null: the key must not exist) and an answered get
 * always has {@code output} (null: the key did not exist).
 */
public final class HistoryJson {

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private HistoryJson() {}

    public static String toJson(HistoryEntry entry) {
        StringBuilder json = new StringBuilder(160);
        PlannedOp op = entry.op();
        json.append("{\"client\":").append(entry.client());
        json.append(",\"op\":");
        appendString(json, op.kind().jsonName());
        json.append(",\"key\":");
        appendString(json, op.key());
        if (op.value() != null) {
            json.append(",\"value\":");
            appendString(json, op.value());
        }
        if (op.kind() == OpKind.CAS) {
            json.append(",\"expected\":");
            appendString(json, op.expected());
        }
        json.append(",\"call\":").append(entry.callNanos());
        if (entry.returned()) {
            json.append(",\"ret\":").append(entry.retNanos());
        }
        json.append(",\"status\":");
        appendString(json, entry.status().jsonName());
        HistoryEntry.Output output = entry.output();
        if (output instanceof HistoryEntry.Output.Read read) {
            json.append(",\"output\":");
            appendString(json, read.value().orElse(null));
        } else if (output instanceof HistoryEntry.Output.Swapped swapped) {
            json.append(",\"output\":").append(swapped.success());
        }
        return json.append('}').toString();
    }

    /** {@code text} as a JSON string literal, or {@code null}: see {@link #appendString}. */
    public static String quote(String text) {
        StringBuilder json = new StringBuilder(text == null ? 4 : text.length() + 2);
        appendString(json, text);
        return json.toString();
    }

    /**
     * Appends {@code text} as a JSON string literal, or {@code null}. Escapes the quote, the
     * backslash, every control character, the line and paragraph separators (which some JSON
     * readers take for line ends) and unpaired surrogates (which have no UTF-8 encoding).
     */
    public static void appendString(StringBuilder json, String text) {
        if (text == null) {
            json.append("null");
            return;
        }
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        appendUnicodeEscape(json, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        json.append(c).append(text.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        appendUnicodeEscape(json, c); // unpaired: no UTF-8 encoding exists
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    private static void appendUnicodeEscape(StringBuilder json, char c) {
        json.append("\\u")
                .append(HEX_DIGITS[(c >> 12) & 0xf])
                .append(HEX_DIGITS[(c >> 8) & 0xf])
                .append(HEX_DIGITS[(c >> 4) & 0xf])
                .append(HEX_DIGITS[c & 0xf]);
    }
}
