package io.pbft.cli.workload;

import java.util.Objects;

/**
 * One operation a workload client is about to issue.
 *
 * @param value the value a put writes or a compare-and-set's new value; null for get and delete
 * @param expected what a compare-and-set expects, null meaning "the key must not exist"; always
 *     null for the other kinds
 */
public record PlannedOp(OpKind kind, String key, String value, String expected) {

    public PlannedOp {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        if ((kind == OpKind.PUT || kind == OpKind.CAS) != (value != null)) {
            throw new IllegalArgumentException(kind + " " + (value == null ? "needs" : "takes no") + " value");
        }
        if (kind != OpKind.CAS && expected != null) {
            throw new IllegalArgumentException(kind + " takes no expected value");
        }
    }

    public static PlannedOp get(String key) {
        return new PlannedOp(OpKind.GET, key, null, null);
    }

    public static PlannedOp put(String key, String value) {
        return new PlannedOp(OpKind.PUT, key, value, null);
    }

    public static PlannedOp cas(String key, String expectedOrNull, String newValue) {
        return new PlannedOp(OpKind.CAS, key, newValue, expectedOrNull);
    }

    public static PlannedOp delete(String key) {
        return new PlannedOp(OpKind.DELETE, key, null, null);
    }
}
