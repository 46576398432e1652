package io.pbft.cli.workload;

import java.io.IOException;

/**
 * A history file, or one line of it, is not in the format of {@code docs/history.md}. An
 * {@link IOException}, so that a command treats it like any other file it cannot read.
 */
public final class MalformedHistoryException extends IOException {

    public MalformedHistoryException(String message) {
        super(message);
    }
}
