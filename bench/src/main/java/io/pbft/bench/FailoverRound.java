package io.pbft.bench;

import io.pbft.cli.StatusCommand;
import io.pbft.cli.workload.HistoryEntry;
import io.pbft.cli.workload.OpStatus;
import io.pbft.cli.workload.WorkloadResult;
import io.pbft.client.ReplicaStatus;
import java.util.List;
import java.util.OptionalLong;

/**
 * One round of the failover benchmark: a fresh cluster under load whose primary was stopped at
 * t0, and what its clients saw.
 *
 * @param f faults tolerated; the cluster had 3f + 1 replicas
 * @param round 1 for the first round with this f
 * @param pausedReplica the primary that was stopped (replica v mod n of the view v before)
 * @param viewBefore the view the replicas worked in when the primary was stopped
 * @param failoverNanos from t0 to the first answer to an operation called after t0; empty when
 *     no such operation was answered before the round gave up
 * @param longestNanos the longest latency of an answered operation in the round
 * @param viewsAfter what the replicas other than the stopped one reported at the end of the
 *     round ({@link #describeViews})
 */
record FailoverRound(int f, int round, int pausedReplica, long viewBefore, OptionalLong failoverNanos,
        long longestNanos, long completed, long failed, long unknown, String viewsAfter) {

    /** An answered operation of a history: its call and return, on this JVM's {@link System#nanoTime()}. */
    record Answered(long callNanos, long retNanos) {}

    int replicaCount() {
        return 3 * f + 1;
    }

    boolean failedOver() {
        return failoverNanos.isPresent();
    }

    /** The round from its workload's history, kept with {@code keepHistory}, and t0. */
    static FailoverRound of(int f, int round, int pausedReplica, long viewBefore, long t0Nanos,
            WorkloadResult result, String viewsAfter) {
        List<Answered> answered = answered(result.history());
        return new FailoverRound(f, round, pausedReplica, viewBefore, failoverNanos(t0Nanos, answered),
                longestNanos(answered), result.ok(), result.failed(), result.unknown(), viewsAfter);
    }

    /** The operations the cluster answered: only those committed; a rejection or a time-out is no commit. */
    static List<Answered> answered(List<HistoryEntry> history) {
        return history.stream().filter(entry -> entry.status() == OpStatus.OK)
                .map(entry -> new Answered(entry.callNanos(), entry.retNanos())).toList();
    }

    /**
     * The earliest return among the operations called after {@code t0Nanos}, minus t0; empty when
     * none returned. An operation called after t0 went to the stopped primary, so it can only have
     * committed in a later view. Compares nanoTime values by their difference, as they may wrap.
     */
    static OptionalLong failoverNanos(long t0Nanos, List<Answered> answered) {
        OptionalLong earliest = OptionalLong.empty();
        for (Answered op : answered) {
            long sinceT0 = op.retNanos() - t0Nanos;
            if (calledAfter(t0Nanos, op.callNanos()) && (earliest.isEmpty() || sinceT0 < earliest.getAsLong())) {
                earliest = OptionalLong.of(sinceT0);
            }
        }
        return earliest;
    }

    /** Whether an operation called at {@code callNanos} was called after t0 (strictly). */
    static boolean calledAfter(long t0Nanos, long callNanos) {
        return callNanos - t0Nanos > 0;
    }

    /**
     * What {@code statuses} say about the views, as {@code pbft status} sums it up, and how many
     * replicas did not answer: that summary counts only those that did.
     */
    static String describeViews(List<ReplicaStatus> statuses) {
        long silent = statuses.stream().filter(status -> !status.reachable()).count();
        String views = StatusCommand.views(statuses);
        return silent == 0 ? views : views + "; " + silent + " did not answer the status query";
    }

    /** The longest call-to-return time among {@code answered}; 0 when it is empty. */
    static long longestNanos(List<Answered> answered) {
        return answered.stream().mapToLong(op -> op.retNanos() - op.callNanos()).max().orElse(0);
    }
}
