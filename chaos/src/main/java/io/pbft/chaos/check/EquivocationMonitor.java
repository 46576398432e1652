package io.pbft.chaos.check;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.Commit;
import io.pbft.core.message.NewView;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.ViewChange;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * That a correct replica never contradicts itself, across its crashes and restarts too: per
 * (view, sequence number) at most one PRE-PREPARE, PREPARE and COMMIT digest; per sequence number
 * one CHECKPOINT state digest; per view one VIEW-CHANGE and one NEW-VIEW. A replica that forgot
 * what it promised before a crash (a record lost or not replayed) would send a second, different
 * one, and two such votes from f + 1 replicas are how PBFT loses safety. Resending the same message
 * is fine: replicas do that all the time.
 *
 * <p>Fed every message a correct replica sends, signed by it, as it leaves.
 */
public final class EquivocationMonitor {

    public static final String NAME = "Equivocation";

    private record Key(String kind, int replica, long view, long sequence) {}

    /** Lookups only, never iterated: a hash map cannot reach the output. */
    private final Map<Key, Object> firstSent = new HashMap<>();

    /** A violation if {@code message} contradicts one its signer sent before. */
    public Optional<Violation> onSent(ReplicaMessage message) {
        Key key;
        Object content;
        if (message instanceof PrePrepare prePrepare) {
            key = new Key("PRE-PREPARE", prePrepare.replica(), prePrepare.view(), prePrepare.sequence());
            content = prePrepare.batchDigest();
        } else if (message instanceof Prepare prepare) {
            key = new Key("PREPARE", prepare.replica(), prepare.view(), prepare.sequence());
            content = prepare.batchDigest();
        } else if (message instanceof Commit commit) {
            key = new Key("COMMIT", commit.replica(), commit.view(), commit.sequence());
            content = commit.batchDigest();
        } else if (message instanceof Checkpoint checkpoint) {
            key = new Key("CHECKPOINT", checkpoint.replica(), -1, checkpoint.sequence());
            content = checkpoint.stateDigest();
        } else if (message instanceof ViewChange viewChange) {
            key = new Key("VIEW-CHANGE", viewChange.replica(), viewChange.newView(), -1);
            content = viewChange;
        } else if (message instanceof NewView newView) {
            key = new Key("NEW-VIEW", newView.replica(), newView.view(), -1);
            content = newView;
        } else {
            return Optional.empty(); // status, fetches, relayed batches: they promise nothing
        }
        Object first = firstSent.putIfAbsent(key, content);
        if (first == null || first.equals(content)) {
            return Optional.empty();
        }
        return Optional.of(new Violation(NAME, "replica " + key.replica + " sent two different " + key.kind
                + " messages for " + where(key) + ": " + describe(first) + ", then " + describe(content)));
    }

    private static String where(Key key) {
        if (key.sequence < 0) {
            return "view " + key.view;
        }
        return key.view < 0 ? "sequence number " + key.sequence : "view " + key.view + ", sequence number " + key.sequence;
    }

    private static String describe(Object content) {
        if (content instanceof ByteString digest) {
            return "digest " + Hex.shortDigest(digest);
        }
        if (content instanceof ViewChange viewChange) {
            return "checkpoint " + viewChange.checkpoint().sequence() + " and prepared " + viewChange.prepared().stream()
                    .map(certificate -> certificate.sequence() + "@view " + certificate.view()).toList();
        }
        NewView newView = (NewView) content;
        return newView.viewChanges().size() + " view changes and " + newView.prePrepares().size() + " pre-prepares";
    }
}
