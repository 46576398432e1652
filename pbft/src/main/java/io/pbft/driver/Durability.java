package io.pbft.driver;

import io.pbft.core.CheckpointTaken;
import io.pbft.core.DurableRecord;
import io.pbft.driver.state.ServedCheckpoint;
import java.util.List;

/**
 * Where a replica's driver keeps what must survive a crash: {@link ReplicaStore} on a disk, or
 * nothing ({@link #NONE}) for a replica that is never restarted with its identity (tests, and
 * simulations without crashes).
 */
public interface Durability {

    /** Keeps nothing: a replica that uses it must not be restarted as the same replica. */
    Durability NONE = new Durability() {
        @Override
        public void append(List<DurableRecord> records) {}

        @Override
        public void sync() {}

        @Override
        public void checkpointKept(CheckpointTaken taken, ServedCheckpoint checkpoint) {}

        @Override
        public void stateInstalled(CheckpointTaken installed, ServedCheckpoint checkpoint) {}

        @Override
        public boolean keepsAnything() {
            return false;
        }
    };

    /** Whether anything is kept: if not, nothing need wait for it. */
    default boolean keepsAnything() {
        return true;
    }

    /**
     * Appends {@code records}; they are durable once {@link #sync} returns.
     *
     * @throws java.io.UncheckedIOException if they cannot be written; the caller must then not send
     */
    void append(List<DurableRecord> records);

    /**
     * Makes every record appended so far durable, as far as the sync policy promises: the caller
     * sends the messages that promised them next. One sync serves every input since the last one
     * (group commit).
     *
     * @throws java.io.UncheckedIOException if they cannot be written; the caller must then not send
     */
    void sync();

    /** The replica executed and keeps checkpoint {@code taken}: a store may snapshot the state there. */
    void checkpointKept(CheckpointTaken taken, ServedCheckpoint checkpoint);

    /**
     * The replica installed the state of stable checkpoint {@code installed}, fetched from its peers:
     * a store snapshots it, since what it logged before no longer leads to this state.
     */
    void stateInstalled(CheckpointTaken installed, ServedCheckpoint checkpoint);
}
