package io.pbft.cli.workload;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one line of a history file back into a {@link HistoryEntry}: the inverse of
 * {@link HistoryJson#toJson}. Strict about content: every field known and of its type, present
 * exactly when {@code docs/history.md} says it applies, {@code ret} not before {@code call}. Any
 * field order is accepted, because JSON objects are unordered and another tool may write them.
 */
public final class HistoryParser {

    private static final Set<String> FIELDS =
            Set.of("client", "op", "key", "value", "expected", "call", "ret", "status", "output");

    private final Map<String, Object> fields;

    private HistoryParser(Map<String, Object> fields) {
        this.fields = fields;
    }

    /** The entry {@code line} records; the exception's message says what is wrong, and where. */
    public static HistoryEntry parse(String line) throws MalformedHistoryException {
        HistoryParser parser = new HistoryParser(FlatJson.parseObject(line));
        parser.rejectUnknownFields();
        return parser.entry();
    }

    private HistoryEntry entry() throws MalformedHistoryException {
        long client = required("client", Long.class);
        OpKind kind = named(OpKind.values(), required("op", String.class), "op");
        PlannedOp op = plannedOp(kind, required("key", String.class));
        long callNanos = required("call", Long.class);
        OpStatus status = named(OpStatus.values(), required("status", String.class), "status");
        long retNanos = returnNanos(status, callNanos);
        HistoryEntry.Output output = output(kind, status);
        return new HistoryEntry(client, op, callNanos, retNanos, status, output);
    }

    private PlannedOp plannedOp(OpKind kind, String key) throws MalformedHistoryException {
        boolean writes = kind == OpKind.PUT || kind == OpKind.CAS;
        String value = writes ? required("value", String.class) : absent("value", "a " + kind.jsonName());
        if (kind != OpKind.CAS) {
            absent("expected", "a " + kind.jsonName());
            return new PlannedOp(kind, key, value, null);
        }
        if (!fields.containsKey("expected")) {
            throw new MalformedHistoryException("missing field \"expected\" (null when the key must be absent)");
        }
        return PlannedOp.cas(key, nullable("expected", String.class), value);
    }

    private long returnNanos(OpStatus status, long callNanos) throws MalformedHistoryException {
        if (status == OpStatus.UNKNOWN) {
            absent("ret", "an operation whose outcome is unknown");
            return HistoryEntry.NOT_RETURNED;
        }
        long retNanos = required("ret", Long.class);
        if (retNanos < callNanos || retNanos == HistoryEntry.NOT_RETURNED) {
            throw new MalformedHistoryException("\"ret\" " + retNanos + " is before \"call\" " + callNanos);
        }
        return retNanos;
    }

    private HistoryEntry.Output output(OpKind kind, OpStatus status) throws MalformedHistoryException {
        boolean answered = status == OpStatus.OK && (kind == OpKind.GET || kind == OpKind.CAS);
        if (!answered) {
            absent("output", status == OpStatus.OK ? "a " + kind.jsonName() : "an operation that is not ok");
            return HistoryEntry.Output.NONE;
        }
        if (!fields.containsKey("output")) {
            throw new MalformedHistoryException("missing field \"output\" of an ok " + kind.jsonName());
        }
        if (kind == OpKind.CAS) {
            return new HistoryEntry.Output.Swapped(required("output", Boolean.class));
        }
        return new HistoryEntry.Output.Read(Optional.ofNullable(nullable("output", String.class)));
    }

    private void rejectUnknownFields() throws MalformedHistoryException {
        for (String name : fields.keySet()) {
            if (!FIELDS.contains(name)) {
                throw new MalformedHistoryException("unknown field " + HistoryJson.quote(name));
            }
        }
    }

    private <T> T required(String name, Class<T> type) throws MalformedHistoryException {
        T value = nullable(name, type);
        if (value == null) {
            throw new MalformedHistoryException((fields.containsKey(name) ? "null" : "missing") + " field \""
                    + name + "\"");
        }
        return value;
    }

    private <T> T nullable(String name, Class<T> type) throws MalformedHistoryException {
        Object value = fields.get(name);
        if (value != null && !type.isInstance(value)) {
            throw new MalformedHistoryException("field \"" + name + "\" must be " + typeName(type));
        }
        return type.cast(value);
    }

    /** Null, after checking that the field {@code name} is not there: it does not apply to {@code what}. */
    private <T> T absent(String name, String what) throws MalformedHistoryException {
        if (fields.containsKey(name)) {
            throw new MalformedHistoryException("field \"" + name + "\" does not belong to " + what);
        }
        return null;
    }

    private static <E extends Enum<E>> E named(E[] values, String jsonName, String field)
            throws MalformedHistoryException {
        for (E value : values) {
            if (value.name().toLowerCase(Locale.ROOT).equals(jsonName)) {
                return value;
            }
        }
        throw new MalformedHistoryException("unknown " + field + " " + HistoryJson.quote(jsonName));
    }

    private static String typeName(Class<?> type) {
        if (type == Long.class) {
            return "an integer";
        }
        return type == Boolean.class ? "true or false" : "a string";
    }
}
