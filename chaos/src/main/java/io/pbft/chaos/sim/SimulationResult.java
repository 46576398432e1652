package io.pbft.chaos.sim;

import com.google.protobuf.ByteString;
import io.pbft.chaos.check.ClientHistory;
import io.pbft.chaos.check.ClientOperation;
import io.pbft.chaos.check.RunHistory;
import io.pbft.chaos.check.Violation;
import io.pbft.core.Execution;
import io.pbft.core.ProtocolEvent.ViewChangeCause;
import io.pbft.core.Rejection;
import io.pbft.core.message.Request;
import io.pbft.driver.DropReason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * The outcome of one simulation run: whether every check passed, what failed, and enough numbers
 * to see what the run did. {@link #replayCommand()} repeats the run exactly.
 *
 * @param requestsCompleted requests whose client accepted a result
 * @param requestsPlanned requests the clients meant to complete
 * @param simulatedMillis the simulated time at which the run stopped
 * @param lastExecuted per replica, the last sequence number it executed
 * @param lowWatermarks per replica, its last stable checkpoint
 * @param rejections per replica, the inputs its core dropped, by reason
 * @param views per replica, the view it ended in
 * @param changingView per replica, whether it ended waiting for that view's new view
 * @param down per replica, whether it ended crashed, not yet restarted (its figures are then those
 *     it had when it crashed)
 * @param viewChangeCauses per replica, how many times it left a view, by cause
 * @param drops per replica, the frames its inbound checks dropped before its core saw them, by reason
 * @param traceDigest a fingerprint of every event's time, kind and target: equal runs have equal ones
 *     (what the events carried is in {@link #historyDigest()})
 */
public record SimulationResult(
        SimulationConfig config,
        StopReason stopReason,
        List<Violation> violations,
        long requestsCompleted,
        long requestsPlanned,
        long simulatedMillis,
        long eventsProcessed,
        NetworkStats network,
        List<Long> lastExecuted,
        List<Long> lowWatermarks,
        List<Map<Rejection, Long>> rejections,
        List<Long> views,
        List<Boolean> changingView,
        List<Boolean> down,
        List<Map<ViewChangeCause, Long>> viewChangeCauses,
        List<Map<DropReason, Long>> drops,
        long traceDigest,
        RunHistory history) {

    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    public SimulationResult {
        violations = List.copyOf(violations);
        lastExecuted = List.copyOf(lastExecuted);
        lowWatermarks = List.copyOf(lowWatermarks);
        rejections = List.copyOf(rejections);
        views = List.copyOf(views);
        changingView = List.copyOf(changingView);
        down = List.copyOf(down);
        viewChangeCauses = List.copyOf(viewChangeCauses);
        drops = List.copyOf(drops);
    }

    static SimulationResult of(SimulationConfig config, StopReason stopReason, List<Violation> violations,
            RunHistory history, long eventsProcessed, NetworkStats network, List<SimReplica> replicas, boolean[] crashed,
            long traceDigest) {
        long completed = 0;
        long planned = 0;
        for (ClientHistory client : history.clients()) {
            completed += client.completedCount();
            planned += client.requestsPlanned();
        }
        List<Long> lastExecuted = new ArrayList<>();
        List<Long> lowWatermarks = new ArrayList<>();
        List<Map<Rejection, Long>> rejections = new ArrayList<>();
        List<Long> views = new ArrayList<>();
        List<Boolean> changingView = new ArrayList<>();
        List<Boolean> down = new ArrayList<>();
        List<Map<ViewChangeCause, Long>> viewChangeCauses = new ArrayList<>();
        List<Map<DropReason, Long>> drops = new ArrayList<>();
        for (SimReplica replica : replicas) {
            lastExecuted.add(replica.core.lastExecuted());
            lowWatermarks.add(replica.core.lowWatermark());
            rejections.add(replica.core.rejections().snapshot());
            views.add(replica.core.view());
            changingView.add(!replica.core.isActive());
            down.add(crashed[replica.id]);
            viewChangeCauses.add(replica.viewChangeCauses());
            drops.add(new EnumMap<>(replica.drops()));
        }
        return new SimulationResult(config, stopReason, violations, completed, planned, history.endMillis(),
                eventsProcessed, network, lastExecuted, lowWatermarks, rejections, views, changingView, down, viewChangeCauses, drops,
                traceDigest,
                history);
    }

    public long seed() {
        return config.seed();
    }

    public boolean passed() {
        return violations.isEmpty();
    }

    /** The one-line command that replays this run: {@code scripts/pbft simulate --seed S} plus non-default options. */
    public String replayCommand() {
        return config.replayCommand();
    }

    /** One line: seed, verdict, requests, simulated seconds, events. */
    public String summaryLine() {
        return String.format(Locale.ROOT, "seed %d %s requests %d/%d simulated %.3fs events %d",
                seed(), passed() ? "PASS" : "FAIL", requestsCompleted, requestsPlanned, simulatedMillis / 1000.0,
                eventsProcessed);
    }

    /**
     * A fingerprint of what the run did, where {@link #traceDigest} covers when what happened: every
     * replica's executions (sequence, batch and request digests) and checkpoint digests, and every
     * client operation (its bytes, result, call and return times, retransmissions). Two runs that
     * executed other operations at the same instants have equal traces but not equal histories.
     */
    public long historyDigest() {
        long digest = FNV_OFFSET_BASIS;
        for (List<Execution> executions : history.executions()) {
            digest = fold(digest, executions.size());
            for (Execution execution : executions) {
                digest = fold(fold(fold(digest, execution.sequence()), execution.batchDigest()),
                        execution.checkpoint() ? 1 : 0);
                for (Request request : execution.requests()) {
                    digest = fold(digest, request.digest());
                }
            }
        }
        for (SortedMap<Long, ByteString> checkpoints : history.checkpointDigests()) {
            digest = fold(digest, checkpoints.size());
            for (Map.Entry<Long, ByteString> checkpoint : checkpoints.entrySet()) {
                digest = fold(fold(digest, checkpoint.getKey()), checkpoint.getValue());
            }
        }
        for (ClientHistory client : history.clients()) {
            digest = fold(fold(digest, client.clientId()), client.operations().size());
            for (ClientOperation op : client.operations()) {
                digest = fold(fold(fold(digest, op.id().timestamp()), op.operation()), op.result());
                digest = fold(fold(fold(digest, op.callMillis()), op.returnMillis()), op.retransmissions());
            }
        }
        return digest;
    }

    private static long fold(long digest, long value) {
        return (digest ^ value) * FNV_PRIME;
    }

    private static long fold(long digest, ByteString bytes) {
        long folded = fold(digest, bytes.size());
        for (int i = 0; i < bytes.size(); i++) {
            folded = fold(folded, bytes.byteAt(i));
        }
        return folded;
    }

    /** A multi-line account of the run for a reader replaying one seed; starts with the summary line. */
    public String report() {
        StringBuilder text = new StringBuilder(summaryLine()).append('\n');
        text.append("  replay: ").append(replayCommand()).append('\n');
        text.append("  cluster: n=").append(config.replicaCount()).append(" f=").append(config.f())
                .append(", clients ").append(config.clients()).append(" x ").append(config.requestsPerClient())
                .append(" requests, K=").append(config.checkpointInterval()).append(" L=")
                .append(config.windowSize()).append(" batch ").append(config.batchSize()).append('\n');
        text.append("  network: ").append(config.network()).append('\n');
        text.append(String.format(Locale.ROOT, "  messages: sent %d, dropped %d, duplicated %d%n",
                network.sent(), network.dropped(), network.duplicated()));
        text.append("  stopped: ").append(stopReason).append(" at ").append(simulatedMillis).append(" ms")
                .append(String.format(Locale.ROOT, ", trace %016x, history %016x%n", traceDigest, historyDigest()));
        for (int replica = 0; replica < lastExecuted.size(); replica++) {
            int restarts = history.incarnations().get(replica).size() - 1;
            text.append("  replica ").append(replica).append(restarts == 0 ? "" : " (restarted " + restarts + "x)")
                    .append(down.get(replica) ? " (down)" : "")
                    .append(": view ").append(views.get(replica))
                    .append(changingView.get(replica) ? " (changing view)" : "")
                    .append(viewChangeCauses.get(replica).isEmpty() ? ""
                            : ", left views " + viewChangeCauses.get(replica))
                    .append(", last executed ").append(lastExecuted.get(replica))
                    .append(", stable checkpoint ").append(lowWatermarks.get(replica))
                    .append(", rejected ").append(rejections.get(replica));
            if (!drops.get(replica).isEmpty()) {
                text.append(", dropped ").append(drops.get(replica));
            }
            text.append('\n');
        }
        for (ClientHistory client : history.clients()) {
            text.append("  client ").append(client.clientId()).append(": ").append(client.completedCount())
                    .append('/').append(client.requestsPlanned()).append(" done");
            latency(client, text);
            text.append('\n');
        }
        if (violations.isEmpty()) {
            text.append("  all checks passed\n");
        }
        for (Violation violation : violations) {
            text.append("  VIOLATION ").append(violation).append('\n');
        }
        return text.toString();
    }

    private static void latency(ClientHistory client, StringBuilder text) {
        long total = 0;
        long max = 0;
        int count = 0;
        int retransmitted = 0;
        for (ClientOperation op : client.operations()) {
            if (op.completed()) {
                long latency = op.returnMillis() - op.callMillis();
                total += latency;
                max = Math.max(max, latency);
                count++;
            }
            retransmitted += op.retransmissions() > 0 ? 1 : 0;
        }
        if (count > 0) {
            text.append(String.format(Locale.ROOT, ", latency mean %.1f ms max %d ms", (double) total / count, max));
        }
        text.append(", ").append(retransmitted).append(" retransmitted");
    }

    @Override
    public String toString() {
        return summaryLine() + (passed() ? "" : " " + violations + " replay: " + replayCommand());
    }
}
