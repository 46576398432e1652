package io.pbft.cli;

import io.pbft.cli.workload.HistoryJson;
import java.util.Optional;

/** How the commands print values: quoted like JSON strings, so spaces and quotes stay visible. */
final class Formats {

    private Formats() {}

    /** {@code "v"} with JSON escaping. */
    static String quote(String value) {
        return HistoryJson.quote(value);
    }

    /** A quoted value, or {@code absent}. */
    static String valueOrAbsent(Optional<String> value) {
        return value.map(Formats::quote).orElse("absent");
    }
}
