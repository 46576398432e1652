package io.pbft.driver;

import com.google.protobuf.ByteString;
import io.pbft.core.ProtocolEvent;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.wire.ProvenEquivocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The proofs of equivocation a replica holds: for each peer, kind of message, view and sequence
 * number, the first two conflicting messages it signed, as received (envelope and signature), so
 * anyone with the peer's public key can check them without trusting this replica. The first
 * {@code capacity} are kept; a faulty peer cannot make the store grow beyond that, only the count.
 * Thread-safe: the core's thread adds, a status query reads.
 */
public final class Evidence {

    public static final int DEFAULT_CAPACITY = 256;

    private record Key(int sender, String kind, long view, long sequence) {}

    private final int capacity;
    private final Map<Key, ProvenEquivocation> proofs = new LinkedHashMap<>();
    private long found;

    public Evidence(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Keeps the proof in {@code equivocation} if it is the first for its sender, kind, view and
     * sequence number, and returns it; empty for one already held (the same lie heard again).
     */
    public synchronized Optional<ProvenEquivocation> add(ProtocolEvent.Equivocation equivocation) {
        ReplicaMessage message = equivocation.first().message();
        Key key;
        if (message instanceof PrePrepare prePrepare) {
            key = new Key(equivocation.sender(), ProvenEquivocation.PRE_PREPARE, prePrepare.view(), prePrepare.sequence());
        } else if (message instanceof Prepare prepare) {
            key = new Key(equivocation.sender(), ProvenEquivocation.PREPARE, prepare.view(), prepare.sequence());
        } else if (message instanceof Checkpoint checkpoint) {
            key = new Key(equivocation.sender(), ProvenEquivocation.CHECKPOINT, 0, checkpoint.sequence());
        } else {
            throw new IllegalArgumentException("no equivocation proof is made of " + message.getClass().getSimpleName());
        }
        if (proofs.containsKey(key)) {
            return Optional.empty();
        }
        found++;
        ProvenEquivocation proof = new ProvenEquivocation(key.sender, key.kind, key.view, key.sequence, equivocation.first().envelope(),
                equivocation.second().envelope());
        if (proofs.size() < capacity) {
            proofs.put(key, proof);
        }
        return Optional.of(proof);
    }

    /** The proofs kept, oldest first. */
    public synchronized List<ProvenEquivocation> proofs() {
        return new ArrayList<>(proofs.values());
    }

    /** How many distinct equivocations were found, kept or not. */
    public synchronized long found() {
        return found;
    }
}
