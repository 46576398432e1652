package io.pbft.cli;

/** The exit codes of {@code scripts/pbft}, documented in the README. */
public final class ExitCodes {

    /** The command did what was asked. */
    public static final int OK = 0;
    /**
     * An operation failed or its outcome is unknown (no answer in time), a replica was unreachable,
     * or the command could not run (bad config or key file).
     */
    public static final int FAILED = 1;
    /** The command line was wrong (picocli's usage error code). */
    public static final int USAGE = 2;
    /** The cluster answered, and a condition did not hold: a compare-and-set or transaction changed nothing. */
    public static final int NOT_APPLIED = 3;

    private ExitCodes() {}
}
