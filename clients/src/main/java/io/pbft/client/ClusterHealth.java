package io.pbft.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which replicas make progress, from two status polls a short interval apart: what an operator
 * needs to know beyond "it answered". Pure: the polls are given, nothing is asked here.
 *
 * <p>A replica <em>makes progress</em> when it answered the later poll, works in the quorum's view
 * (not changing view), is not {@link Flag#LAGGING lagging} and not {@link Flag#STUCK stuck}. The
 * <em>quorum's view</em> is the highest view in which at least f + 1 replicas work (so at least one
 * correct replica does). A cluster is live when at least 2f + 1 replicas make progress: an idle
 * cluster is, since nothing is waiting and nobody moved.
 *
 * @param f the number of faults the cluster tolerates
 * @param lagLimit how far behind the most advanced replica a replica may be before it is lagging
 * @param intervalMillis the time between the two polls, for the report
 */
public record ClusterHealth(int f, long lagLimit, long intervalMillis, List<Verdict> verdicts,
        OptionalLong quorumView) {

    /** What is wrong with one replica. */
    public enum Flag {
        /** It did not answer the later poll. */
        UNREACHABLE,
        /** More than the lag limit behind the most advanced replica. */
        LAGGING,
        /**
         * It executed nothing between the polls, although another replica did and is ahead of it, or
         * although work it held at the first poll (a sequence number assigned or accepted above what it
         * executed) still waits.
         */
        STUCK,
        /** It works in another view than the quorum's, or there is no quorum view. */
        OTHER_VIEW,
        /** It left its view and waits for the next one's new-view message. */
        CHANGING_VIEW,
        /** A quorum certified a checkpoint above what it executed: only state transfer brings it back. */
        NEEDS_STATE,
    }

    /**
     * One replica's state at the later poll.
     *
     * @param behind how far its last executed is below the most advanced replica's (0 when unreachable)
     * @param executed how many sequence numbers it executed between the polls, or -1 if it missed one
     */
    public record Verdict(ReplicaStatus status, long behind, long executed, Set<Flag> flags) {
        public Verdict {
            flags = Collections.unmodifiableSet(flags.isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(flags));
        }

        /** Whether this replica counts towards the 2f + 1 that must make progress. */
        public boolean makesProgress() {
            return !flags.contains(Flag.UNREACHABLE) && !flags.contains(Flag.LAGGING) && !flags.contains(Flag.STUCK)
                    && !flags.contains(Flag.OTHER_VIEW) && !flags.contains(Flag.CHANGING_VIEW);
        }
    }

    public ClusterHealth {
        verdicts = List.copyOf(verdicts);
    }

    /**
     * Judges each replica from {@code first} and {@code second}, two polls in replica order,
     * {@code intervalMillis} apart. For a single poll pass it twice with {@code intervalMillis} 0:
     * then nobody is stuck, as nothing was measured. A replica that missed the first poll is judged
     * on its lag and view alone.
     */
    public static ClusterHealth judge(int f, long lagLimit, long intervalMillis, List<ReplicaStatus> first,
            List<ReplicaStatus> second) {
        long mostAdvanced = second.stream().filter(ReplicaStatus::reachable).mapToLong(ReplicaStatus::lastExecuted)
                .max().orElse(0);
        long[] executed = new long[second.size()];
        long mostExecuted = 0;
        for (int i = 0; i < second.size(); i++) {
            boolean both = first.get(i).reachable() && second.get(i).reachable();
            executed[i] = both ? Math.max(0, second.get(i).lastExecuted() - first.get(i).lastExecuted()) : -1;
            mostExecuted = Math.max(mostExecuted, executed[i]);
        }
        OptionalLong quorumView = quorumView(f, second);
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < second.size(); i++) {
            ReplicaStatus now = second.get(i);
            EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
            if (!now.reachable()) {
                flags.add(Flag.UNREACHABLE);
                verdicts.add(new Verdict(now, 0, -1, flags));
                continue;
            }
            long behind = mostAdvanced - now.lastExecuted();
            if (behind > lagLimit) {
                flags.add(Flag.LAGGING);
            }
            // The most advanced replica that did not move while others caught up to it is not stuck.
            if (intervalMillis > 0 && executed[i] == 0
                    && ((mostExecuted > 0 && behind > 0) || first.get(i).holdsWork())) {
                flags.add(Flag.STUCK);
            }
            if (now.changingView()) {
                flags.add(Flag.CHANGING_VIEW);
            } else if (quorumView.isEmpty() || now.view() != quorumView.getAsLong()) {
                flags.add(Flag.OTHER_VIEW);
            }
            if (now.needsState()) {
                flags.add(Flag.NEEDS_STATE);
            }
            verdicts.add(new Verdict(now, behind, executed[i], flags));
        }
        return new ClusterHealth(f, lagLimit, intervalMillis, verdicts, quorumView);
    }

    /** The highest view in which at least f + 1 reachable replicas work, not changing view. */
    static OptionalLong quorumView(int f, List<ReplicaStatus> statuses) {
        Map<Long, Integer> working = new TreeMap<>(Collections.reverseOrder());
        for (ReplicaStatus status : statuses) {
            if (status.reachable() && !status.changingView()) {
                working.merge(status.view(), 1, Integer::sum);
            }
        }
        for (Map.Entry<Long, Integer> view : working.entrySet()) {
            if (view.getValue() >= f + 1) {
                return OptionalLong.of(view.getKey());
            }
        }
        return OptionalLong.empty();
    }

    public long progressing() {
        return verdicts.stream().filter(Verdict::makesProgress).count();
    }

    /** Whether at least 2f + 1 replicas make progress. */
    public boolean live() {
        return progressing() >= 2L * f + 1;
    }

    /** The replica that executed the most between the polls, for "stuck while replica 0 executed 56". */
    public Verdict busiest() {
        Verdict busiest = verdicts.get(0);
        for (Verdict verdict : verdicts) {
            if (verdict.executed() > busiest.executed()) {
                busiest = verdict;
            }
        }
        return busiest;
    }
}
