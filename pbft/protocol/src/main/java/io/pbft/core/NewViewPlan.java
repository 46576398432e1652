package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.PreparedCertificate;
import io.pbft.core.message.StableCheckpoint;
import io.pbft.core.message.ViewChange;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What a new view starts from, computed from a quorum of view changes, identically by the new
 * primary (to make its new-view message) and by every backup (to check it):
 *
 * <ul>
 *   <li>the checkpoint: the latest stable checkpoint any of them proves (min-s in the paper);
 *   <li>for every sequence number above it up to the highest one prepared in any of them (max-s),
 *       the batch of the prepared certificate of the highest view, or the null batch where none
 *       prepared.
 * </ul>
 *
 * Why it is safe: a batch that committed at a correct replica prepared at 2f + 1 replicas, f + 1 of
 * them correct, so any 2f + 1 view changes include one of those, and no higher view can have
 * prepared a different batch at that sequence number; so the batch is carried over.
 *
 * @param digests the batch digest to re-issue at each sequence number, in order
 * @param timestamps the agreed time of each carried-over batch, which its digest covers (absent
 *     for a null batch: 0)
 */
record NewViewPlan(StableCheckpoint checkpoint, NavigableMap<Long, ByteString> digests,
        NavigableMap<Long, Long> timestamps) {

    /** The plan for view changes whose certificates the caller has checked. */
    static NewViewPlan of(List<ViewChange> viewChanges) {
        StableCheckpoint checkpoint = StableCheckpoint.INITIAL;
        for (ViewChange viewChange : viewChanges) {
            if (viewChange.checkpoint().sequence() > checkpoint.sequence()) {
                checkpoint = viewChange.checkpoint();
            }
        }
        NavigableMap<Long, PreparedCertificate> highest = new TreeMap<>();
        for (ViewChange viewChange : viewChanges) {
            for (PreparedCertificate certificate : viewChange.prepared()) {
                if (certificate.sequence() <= checkpoint.sequence()) {
                    continue;
                }
                PreparedCertificate current = highest.get(certificate.sequence());
                if (current == null || certificate.view() > current.view()) {
                    highest.put(certificate.sequence(), certificate);
                }
            }
        }
        NavigableMap<Long, ByteString> digests = new TreeMap<>();
        NavigableMap<Long, Long> timestamps = new TreeMap<>();
        long maxSequence = highest.isEmpty() ? checkpoint.sequence() : highest.lastKey();
        for (long sequence = checkpoint.sequence() + 1; sequence <= maxSequence; sequence++) {
            PreparedCertificate certificate = highest.get(sequence);
            digests.put(sequence, certificate == null
                    ? PrePrepare.NULL_BATCH_DIGEST
                    : certificate.prePrepare().message().batchDigest());
            if (certificate != null) {
                timestamps.put(sequence, certificate.prePrepare().message().timestampMillis());
            }
        }
        return new NewViewPlan(checkpoint, digests, timestamps);
    }

    /** The pre-prepares of {@code view} this plan re-issues, unsigned, in sequence order. */
    List<PrePrepare> prePrepares(long view, int primary) {
        List<PrePrepare> prePrepares = new ArrayList<>(digests.size());
        digests.forEach((sequence, digest) -> prePrepares.add(
                new PrePrepare(view, sequence, digest, primary, timestamps.getOrDefault(sequence, 0L))));
        return prePrepares;
    }
}
