package io.pbft.cli.workload;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict reader (RFC 8259) of one flat JSON object: members whose values are strings, integers,
 * {@code true}, {@code false} or {@code null}, which is all a history line holds. Written by hand
 * because no module that reads histories has a JSON library, and this small format does not
 * justify one. Nested values, fractions and exponents are errors, not silently accepted.
 */
final class FlatJson {

    private static final int END = -1;

    private final String text;
    private int at;

    private FlatJson(String text) {
        this.text = text;
    }

    /**
     * The object's members in the order they appear: a {@link String}, {@link Long},
     * {@link Boolean} or {@code null} (JSON null) each. Duplicate names are errors.
     */
    static Map<String, Object> parseObject(String text) throws MalformedHistoryException {
        FlatJson json = new FlatJson(text);
        Map<String, Object> members = json.object();
        json.skipWhitespace();
        if (json.peek() != END) {
            throw json.error("unexpected text after the object");
        }
        return members;
    }

    private Map<String, Object> object() throws MalformedHistoryException {
        skipWhitespace();
        expect('{');
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (consume('}')) {
            return members;
        }
        do {
            skipWhitespace();
            int nameAt = at;
            String name = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = value();
            if (members.containsKey(name)) {
                throw errorAt(nameAt, "duplicate field " + HistoryJson.quote(name));
            }
            members.put(name, value);
            skipWhitespace();
        } while (consume(','));
        expect('}');
        return members;
    }

    private Object value() throws MalformedHistoryException {
        int c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '-' || isDigit(c)) {
            return integer();
        }
        for (String literal : new String[] {"true", "false", "null"}) {
            if (text.startsWith(literal, at)) {
                at += literal.length();
                return literal.equals("null") ? null : Boolean.valueOf(literal);
            }
        }
        if (c == '{' || c == '[') {
            throw error("nested objects and arrays do not occur in a history");
        }
        throw error("expected a value");
    }

    private Long integer() throws MalformedHistoryException {
        int start = at;
        consume('-');
        if (!isDigit(peek())) {
            throw error("expected a digit");
        }
        if (consume('0') && isDigit(peek())) {
            throw error("leading zeros are not JSON");
        }
        while (isDigit(peek())) {
            at++;
        }
        int next = peek();
        if (next == '.' || next == 'e' || next == 'E') {
            throw error("expected an integer, without fraction or exponent");
        }
        try {
            return Long.parseLong(text.substring(start, at));
        } catch (NumberFormatException e) {
            throw errorAt(start, "integer out of range");
        }
    }

    private String string() throws MalformedHistoryException {
        expect('"');
        StringBuilder value = new StringBuilder();
        while (true) {
            int c = peek();
            if (c == END) {
                throw error("unterminated string");
            }
            at++;
            if (c == '"') {
                return value.toString();
            }
            if (c < 0x20) {
                throw errorAt(at - 1, "control character in a string must be escaped");
            }
            value.append(c == '\\' ? escape() : (char) c);
        }
    }

    private char escape() throws MalformedHistoryException {
        int c = peek();
        at++;
        switch (c) {
            case '"': return '"';
            case '\\': return '\\';
            case '/': return '/';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'u': return unicodeEscape();
            default: throw errorAt(at - 1, "invalid escape");
        }
    }

    private char unicodeEscape() throws MalformedHistoryException {
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(peek(), 16);
            if (peek() == END || digit < 0) {
                throw error("expected four hex digits after \\u");
            }
            code = code * 16 + digit;
            at++;
        }
        return (char) code;
    }

    private void skipWhitespace() {
        while (peek() == ' ' || peek() == '\t' || peek() == '\r' || peek() == '\n') {
            at++;
        }
    }

    private void expect(char c) throws MalformedHistoryException {
        if (!consume(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private boolean consume(char c) {
        if (peek() == c) {
            at++;
            return true;
        }
        return false;
    }

    private int peek() {
        return at < text.length() ? text.charAt(at) : END;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private MalformedHistoryException error(String message) {
        return errorAt(at, message);
    }

    private static MalformedHistoryException errorAt(int position, String message) {
        return new MalformedHistoryException("column " + (position + 1) + ": " + message);
    }
}
