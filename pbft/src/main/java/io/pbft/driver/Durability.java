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
        public void persist(List<DurableRecord> records) {}

        @Override
        public void checkpointKept(CheckpointTaken taken, ServedCheckpoint checkpoint) {}

        @Override
        public void stateInstalled(CheckpointTaken installed, ServedCheckpoint checkpoint) {}
    };

    /**
     * Makes {@code records} durable, as far as the sync policy promises, before it returns: the
     * caller sends the messages that promised them next.
     *
     * @throws java.io.UncheckedIOException if they cannot be written; the caller must then not send
     */
    void persist(List<DurableRecord> records);

    /** The replica executed and keeps checkpoint {@code taken}: a store may snapshot the state there. */
    void checkpointKept(CheckpointTaken taken, ServedCheckpoint checkpoint);

    /**
     * The replica installed the state of stable checkpoint {@code installed}, fetched from its peers:
     * a store snapshots it, since what it logged before no longer leads to this state.
     */
    void stateInstalled(CheckpointTaken installed, ServedCheckpoint checkpoint);
}
