package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.NewView;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.PreparedCertificate;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.core.message.StableCheckpoint;
import io.pbft.core.message.ViewChange;
import java.util.List;
import java.util.Objects;

/**
 * What a replica must not forget across a crash, as the core hands it to its driver in {@link
 * Effects#durable()}: the driver makes the promises among them durable before it sends any message
 * of the same effects (etcd raft's {@code Ready} contract), and gives all of them back to {@link
 * Replica#recover} after a restart, in the order it got them.
 *
 * <p>Each record stands for a promise a message made: a prepare promises the pre-prepare it
 * accepted, a commit that this replica holds a prepared certificate (which a later view change
 * must carry), a view change that this replica left its view. A replica that forgot any of these
 * could send a message that contradicts one it sent before, or drop from a view change a
 * certificate that the quorum intersection argument counts on. The state machine's own progress
 * is not here: it is recovered from a snapshot and from peers.
 */
public sealed interface DurableRecord {

    /** The sequence number the record belongs to: a log may drop records below its stable checkpoint. */
    long sequence();

    /**
     * Whether a message of the same input promises this record, so that it must be durable before
     * that message (or any reply) leaves; the others ride along with the next group synced.
     */
    default boolean isPromise() {
        return true;
    }

    /**
     * A pre-prepare this replica made as primary, or accepted as backup before preparing it, with
     * its batch when this replica has it (a pre-prepare a new view carried over may come without).
     */
    record PrePrepared(Signed<PrePrepare> prePrepare, List<Request> batch) implements DurableRecord {
        public PrePrepared {
            Objects.requireNonNull(prePrepare, "prePrepare");
            batch = batch == null ? null : List.copyOf(batch);
        }

        @Override
        public long sequence() {
            return prePrepare.message().sequence();
        }
    }

    /** The prepared certificate this replica holds when it commits. */
    record Prepared(PreparedCertificate certificate) implements DurableRecord {
        public Prepared {
            Objects.requireNonNull(certificate, "certificate");
        }

        @Override
        public long sequence() {
            return certificate.sequence();
        }
    }

    /**
     * This replica's own vote to leave its view. A view record's {@code sequence} is the replica's
     * stable checkpoint when it was written: at every stable checkpoint the core writes the record
     * of its current view again, so that a log that drops what lies below still knows the view.
     */
    record ViewChangeSent(Signed<ViewChange> viewChange, long sequence) implements DurableRecord {
        public ViewChangeSent {
            Objects.requireNonNull(viewChange, "viewChange");
        }
    }

    /**
     * The new view this replica entered, as primary (it made it) or as backup (it accepted it);
     * {@code sequence} as for {@link ViewChangeSent}.
     */
    record NewViewEntered(Signed<NewView> newView, long sequence) implements DurableRecord {
        public NewViewEntered {
            Objects.requireNonNull(newView, "newView");
        }
    }

    /**
     * A batch this replica is about to execute at {@code sequence}: with the snapshot before it, what
     * lets a replica (or a whole cluster) restarted at once execute again up to where it stopped,
     * without a peer that kept the state. Not a promise to anyone, so it need not be durable before
     * a message leaves, but it is, in the same group.
     */
    record Committed(long sequence, ByteString batchDigest, List<Request> batch, long timestampMillis)
            implements DurableRecord {
        public Committed {
            Objects.requireNonNull(batchDigest, "batchDigest");
            batch = List.copyOf(batch);
        }

        /** A batch without a time (timestamp 0). */
        public Committed(long sequence, ByteString batchDigest, List<Request> batch) {
            this(sequence, batchDigest, batch, 0);
        }

        /** Lost in a crash, it is learned again from peers: the commit it followed was synced before it left. */
        @Override
        public boolean isPromise() {
            return false;
        }
    }

    /** A checkpoint became stable here: the log may forget what lies below it. */
    record Stable(StableCheckpoint checkpoint) implements DurableRecord {
        public Stable {
            Objects.requireNonNull(checkpoint, "checkpoint");
        }

        // A promise like the others: a primary pre-prepares beyond the old window on its strength,
        // and a replica that forgot it would find its own pre-prepares outside the window at a
        // restart and could number new batches where it had numbered others.

        @Override
        public long sequence() {
            return checkpoint.sequence();
        }
    }
}
