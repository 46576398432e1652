package io.pbft.core;

import io.pbft.core.message.Signed;
import io.pbft.core.message.ViewChange;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The valid VIEW-CHANGE messages a replica holds, this replica's own included: per sender, one per
 * view, for views not yet entered, a few per sender. Keeping a sender's vote for a lower view after
 * its vote for a higher one matters: a vote delayed behind a later one still completes the lower
 * view's quorum.
 */
final class ViewChangeVotes {

    /** Views kept per sender: its highest ones; a faulty sender can fill only its own share. */
    private static final int VIEWS_PER_SENDER = 4;

    private final int self;
    private final NavigableMap<Integer, NavigableMap<Long, Signed<ViewChange>>> bySender = new TreeMap<>();

    ViewChangeVotes(int self) {
        this.self = self;
    }

    /** Records a vote whose certificates the caller checked; returns false for one already held (counted by the caller). */
    boolean add(Signed<ViewChange> vote) {
        NavigableMap<Long, Signed<ViewChange>> views = bySender.computeIfAbsent(vote.signer(), s -> new TreeMap<>());
        if (views.putIfAbsent(vote.message().newView(), vote) != null) {
            return false;
        }
        while (views.size() > VIEWS_PER_SENDER) {
            views.pollFirstEntry();
        }
        return true;
    }

    /** This replica's own vote for {@code view}, or null. */
    Signed<ViewChange> own(long view) {
        NavigableMap<Long, Signed<ViewChange>> views = bySender.get(self);
        return views == null ? null : views.get(view);
    }

    /** The votes for {@code view}: this replica's own first (a new primary must include it), then by sender. */
    List<Signed<ViewChange>> votesFor(long view) {
        List<Signed<ViewChange>> votes = new ArrayList<>();
        Signed<ViewChange> own = own(view);
        if (own != null) {
            votes.add(own);
        }
        bySender.forEach((sender, views) -> {
            Signed<ViewChange> vote = views.get(view);
            if (sender != self && vote != null) {
                votes.add(vote);
            }
        });
        return votes;
    }

    /** How many replicas (this one included) voted for {@code view} or a higher one. */
    int votersAtOrAbove(long view) {
        int voters = 0;
        for (NavigableMap<Long, Signed<ViewChange>> views : bySender.values()) {
            if (!views.isEmpty() && views.lastKey() >= view) {
                voters++;
            }
        }
        return voters;
    }

    /**
     * The view that {@code count} other replicas voted for or beyond: the {@code count}-th highest
     * of their highest votes above {@code view}, or -1 if fewer voted above it.
     */
    long viewBackedBy(int count, long view) {
        List<Long> highest = new ArrayList<>();
        bySender.forEach((sender, views) -> {
            if (sender != self && !views.isEmpty() && views.lastKey() > view) {
                highest.add(views.lastKey());
            }
        });
        if (highest.size() < count) {
            return -1;
        }
        highest.sort(null);
        return highest.get(highest.size() - count);
    }

    /** The lowest view above {@code view} another replica voted for, or -1 if none did. */
    long lowestOtherVoteAbove(long view) {
        long lowest = -1;
        for (var entry : bySender.entrySet()) {
            Long above = entry.getKey() == self ? null : entry.getValue().higherKey(view);
            if (above != null && (lowest < 0 || above < lowest)) {
                lowest = above;
            }
        }
        return lowest;
    }

    /** Drops the votes for views up to {@code view}: it was entered. */
    void discardUpTo(long view) {
        for (NavigableMap<Long, Signed<ViewChange>> views : bySender.values()) {
            views.headMap(view, true).clear();
        }
    }
}
