package io.pbft.cli.workload;

import java.util.Locale;

/** The key-value operations a workload issues; {@link #jsonName()} is how a history file names them. */
public enum OpKind {
    GET,
    PUT,
    CAS,
    DELETE;

    /** {@code get}, {@code put}, {@code cas} or {@code delete}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
