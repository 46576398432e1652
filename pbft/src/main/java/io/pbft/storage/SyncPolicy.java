package io.pbft.storage;

/** What {@link WriteAheadLog#sync()} promises. */
public enum SyncPolicy {

    /**
     * {@code sync()} forces the written bytes to the device: once it returns, the records appended
     * before it survive a crash of the machine. PBFT needs this before a replica sends what it
     * logged, so that a restarted replica never contradicts itself.
     */
    EVERY_BATCH,

    /**
     * {@code sync()} hands the bytes to the operating system and does not wait for the device:
     * the records survive a crash of the process, not of the machine. For benchmarks and tests.
     */
    NONE
}
