package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Commit;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.PreparedCertificate;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What one replica knows about one sequence number. The votes belong to one view, {@link #view};
 * what must outlive a view change does too: the prepared certificate of the highest view in which
 * this replica prepared here, the digest decided once it committed, and the batches it has for the
 * sequence number. Votes may arrive before the pre-prepare; they count once it arrives and only
 * if their digest matches it.
 */
final class Slot {

    /**
     * Batches a slot holds beyond those it must keep (see {@link #isKept}): the pre-prepare's of
     * this view, and a few it may be asked for.
     */
    private static final int MAX_UNKEPT_BATCHES = 2;

    final long sequence;
    long view;
    Signed<PrePrepare> prePrepare;
    /**
     * A pre-prepare whose requests this replica could not authenticate itself, held until 2f other
     * backups vouch for the same digest with their prepares.
     */
    Signed<PrePrepare> unverified;
    List<Request> unverifiedBatch;
    /** When this replica accepted the pre-prepare of this view, or -1: the start of its agreement delay. */
    long acceptedAtMillis = -1;
    final NavigableMap<Integer, Signed<Prepare>> prepares = new TreeMap<>();
    final NavigableMap<Integer, Commit> commits = new TreeMap<>();
    boolean prepared;
    PreparedCertificate preparedCertificate;
    /**
     * Set once committed here: committed-local in some view, or attested by f + 1 replicas that
     * executed it. The batch decided for this sequence number; it never changes.
     */
    ByteString committedDigest;
    /**
     * The view whose votes committed it here, or -1 when peers' word that it committed did (then
     * the view is unknown: a batch prepared here in an earlier view may differ, legitimately).
     */
    long committedView = -1;
    /**
     * Whether the decision came from this replica's own log at a restart ({@link
     * DurableRecord.Committed}): it committed before the crash, on a certificate or attestations this
     * incarnation never saw.
     */
    boolean committedBeforeRestart;
    /** Which batch each peer says committed here (see {@link io.pbft.core.message.CommittedBatch}). */
    final NavigableMap<Integer, ByteString> attestations = new TreeMap<>();
    /**
     * The batches this replica pre-prepared or prepared here, in any view. It keeps each until the
     * slot is discarded: a new view may carry one over from a prepared certificate it was part of,
     * and among the certificate's 2f + 1 signers the f + 1 correct ones must still hold the batch
     * for the others to fetch it.
     */
    private final NavigableSet<ByteString> votedFor = new TreeSet<>(ByteString.unsignedLexicographicalComparator());
    private final NavigableMap<ByteString, HeldBatch> batches =
            new TreeMap<>(ByteString.unsignedLexicographicalComparator());

    /** A batch and the agreed time its digest covers. */
    private record HeldBatch(List<Request> requests, long timestampMillis) {}

    Slot(long sequence, long view) {
        this.sequence = sequence;
        this.view = view;
    }

    /** Starts collecting the votes of a later view; what outlives a view change stays. */
    void moveTo(long newView) {
        ByteString previous = digest();
        view = newView;
        prePrepare = null;
        acceptedAtMillis = -1;
        unverified = null;
        unverifiedBatch = null;
        prepares.clear();
        commits.clear();
        prepared = false;
        batches.keySet().removeIf(d -> !d.equals(previous) && !isKept(d));
    }

    void accept(Signed<PrePrepare> accepted, List<Request> batch) {
        prePrepare = accepted;
        unverified = null;
        unverifiedBatch = null;
        if (batch != null) {
            addBatch(accepted.message().batchDigest(), batch, accepted.message().timestampMillis());
        }
    }

    /** Keeps a batch whose digest the caller checked; beyond those it must keep, a slot holds only a few. */
    void addBatch(ByteString batchDigest, List<Request> batch, long timestampMillis) {
        batches.put(batchDigest, new HeldBatch(List.copyOf(batch), timestampMillis));
        long unkept = batches.keySet().stream().filter(d -> !isKept(d)).count();
        if (unkept > MAX_UNKEPT_BATCHES) {
            batches.keySet().removeIf(d -> !d.equals(batchDigest) && !d.equals(digest()) && !isKept(d));
        }
    }

    /** This replica pre-prepared or prepared the batch with {@code batchDigest} here. */
    void votedFor(ByteString batchDigest) {
        votedFor.add(batchDigest);
    }

    private boolean isKept(ByteString batchDigest) {
        return batchDigest.equals(committedDigest) || votedFor.contains(batchDigest)
                || (preparedCertificate != null && batchDigest.equals(preparedCertificate.prePrepare().message()
                        .batchDigest()));
    }

    ByteString digest() {
        return prePrepare == null ? null : prePrepare.message().batchDigest();
    }

    /** The batch with this digest, or null when this replica has not got it. */
    List<Request> batchFor(ByteString batchDigest) {
        if (batchDigest == null) {
            return null;
        }
        if (batchDigest.equals(PrePrepare.NULL_BATCH_DIGEST)) {
            return List.of();
        }
        HeldBatch held = batches.get(batchDigest);
        return held == null ? null : held.requests();
    }

    /** The agreed time of the batch with this digest, which the caller knows this slot has (0 for a null batch). */
    long timestampFor(ByteString batchDigest) {
        HeldBatch held = batches.get(batchDigest);
        return held == null ? 0 : held.timestampMillis();
    }

    /** The agreed time of the pre-prepare accepted in this view, or -1 when there is none. */
    long acceptedTimestamp() {
        return prePrepare == null ? -1 : prePrepare.message().timestampMillis();
    }

    boolean committedLocal() {
        return committedDigest != null;
    }

    /** The digest this slot still needs the batch of (decided, or accepted in this view), or null. */
    ByteString missingBatch() {
        ByteString wanted = committedDigest != null ? committedDigest : digest();
        return wanted != null && batchFor(wanted) == null ? wanted : null;
    }

    /** The first {@code count} prepares (by sender) that match the accepted pre-prepare. */
    List<Signed<Prepare>> matchingPrepares(int count) {
        List<Signed<Prepare>> matching = new ArrayList<>(count);
        for (Signed<Prepare> prepare : prepares.values()) {
            if (matching.size() < count && prepare.message().batchDigest().equals(digest())) {
                matching.add(prepare);
            }
        }
        return matching;
    }

    int preparesFor(ByteString digest) {
        return votesFor(prepares.values(), prepare -> prepare.message().batchDigest(), digest);
    }

    int commitsFor(ByteString digest) {
        return votesFor(commits.values(), Commit::batchDigest, digest);
    }

    int attestationsFor(ByteString digest) {
        return votesFor(attestations.values(), attested -> attested, digest);
    }

    private static <V> int votesFor(Collection<V> votes, Function<V, ByteString> digestOf, ByteString digest) {
        if (digest == null) {
            return 0;
        }
        int count = 0;
        for (V vote : votes) {
            if (digest.equals(digestOf.apply(vote))) {
                count++;
            }
        }
        return count;
    }
}
