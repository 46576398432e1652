package io.pbft.chaos.check.history;

import io.pbft.cli.workload.HistoryEntry;
import io.pbft.cli.workload.HistoryEntry.Output;
import io.pbft.cli.workload.OpKind;
import io.pbft.cli.workload.OpStatus;
import io.pbft.cli.workload.PlannedOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A random concurrent history that is linearizable by construction: closed-loop clients issue
 * overlapping operations on a few keys, each operation takes effect on a real register at a
 * random instant between its call and its return (an unknown one at a random instant after its
 * call, or never; a failed one never), and the outputs are what the register answered then.
 */
final class RandomRegisterHistory {

    /** An operation being generated: its parameters, its times and when (if ever) it took effect. */
    private static final class Op {
        final long client;
        final PlannedOp planned;
        final long callNanos;
        long retNanos = HistoryEntry.NOT_RETURNED;
        OpStatus status = OpStatus.OK;
        long effectAt = -1; // -1: never took effect
        Output output = Output.NONE;

        Op(long client, PlannedOp planned, long callNanos) {
            this.client = client;
            this.planned = planned;
            this.callNanos = callNanos;
        }
    }

    private final SplittableRandom random;
    private final int keys;
    private final double unknownShare;
    private final Map<String, List<String>> writtenPerKey = new HashMap<>();
    private final List<Op> ops = new ArrayList<>();

    private RandomRegisterHistory(SplittableRandom random, int keys, double unknownShare) {
        this.random = random;
        this.keys = keys;
        this.unknownShare = unknownShare;
    }

    /** {@code clients} clients with {@code opsPerClient} operations each, sorted by call like the writer. */
    static List<HistoryLine> generate(SplittableRandom random, int clients, int opsPerClient, int keys,
            double unknownShare) {
        RandomRegisterHistory history = new RandomRegisterHistory(random, keys, unknownShare);
        for (int client = 0; client < clients; client++) {
            history.runClient(client, opsPerClient);
        }
        history.execute();
        return history.lines();
    }

    private void runClient(int client, int count) {
        long now = random.nextInt(10);
        for (int n = 0; n < count; n++) {
            Op op = new Op(client, plan(client, n), now + random.nextInt(3));
            long duration = 1 + random.nextInt(20);
            double outcome = random.nextDouble();
            if (outcome < unknownShare) {
                op.status = OpStatus.UNKNOWN;
                op.effectAt = random.nextBoolean() ? op.callNanos + random.nextInt(100) : -1;
            } else if (outcome < 2 * unknownShare) {
                op.status = OpStatus.FAIL;
                op.retNanos = op.callNanos + duration;
            } else {
                op.retNanos = op.callNanos + duration;
                op.effectAt = op.callNanos + random.nextInt((int) duration + 1);
            }
            ops.add(op);
            now = op.callNanos + duration; // an unknown operation's client gives up after its timeout
        }
    }

    private PlannedOp plan(int client, int n) {
        String key = "k" + random.nextInt(keys);
        int kind = random.nextInt(10);
        if (kind < 4) {
            return PlannedOp.get(key);
        }
        if (kind == 9) {
            return PlannedOp.delete(key);
        }
        String value = "r-" + client + "-" + n;
        List<String> written = writtenPerKey.computeIfAbsent(key, k -> new ArrayList<>(List.of("old-" + k)));
        String expected = kind < 7 ? null : recent(written);
        written.add(value);
        return kind < 7 ? PlannedOp.put(key, value) : PlannedOp.cas(key, expected, value);
    }

    /** One of the last few values written to a key, or absent: a compare-and-set that often swaps. */
    private String recent(List<String> written) {
        int pick = random.nextInt(4);
        return pick == 3 ? null : written.get(Math.max(0, written.size() - 1 - pick));
    }

    /** Runs the operations that took effect on real registers in effect order, recording outputs. */
    private void execute() {
        Map<String, String> state = new HashMap<>();
        for (int k = 0; k < keys; k++) {
            if (random.nextBoolean()) {
                state.put("k" + k, "old-k" + k); // as if left by an earlier run
            }
        }
        List<Op> effective = new ArrayList<>(ops.stream().filter(op -> op.effectAt >= 0).toList());
        effective.sort(Comparator.comparingLong(op -> op.effectAt));
        for (Op op : effective) {
            Output output = apply(op.planned, state);
            op.output = op.status == OpStatus.OK ? output : Output.NONE;
        }
    }

    private static Output apply(PlannedOp op, Map<String, String> state) {
        String current = state.get(op.key());
        switch (op.kind()) {
            case GET:
                return new Output.Read(Optional.ofNullable(current));
            case PUT:
                state.put(op.key(), op.value());
                return Output.NONE;
            case DELETE:
                state.remove(op.key());
                return Output.NONE;
            default:
                boolean swapped = Objects.equals(current, op.expected());
                if (swapped) {
                    state.put(op.key(), op.value());
                }
                return new Output.Swapped(swapped);
        }
    }

    private List<HistoryLine> lines() {
        ops.sort(Comparator.comparingLong((Op op) -> op.callNanos).thenComparingLong(op -> op.client));
        List<HistoryLine> lines = new ArrayList<>();
        for (Op op : ops) {
            HistoryEntry entry = new HistoryEntry(op.client, op.planned, op.callNanos, op.retNanos, op.status,
                    op.output);
            lines.add(new HistoryLine(lines.size() + 1, entry));
        }
        return lines;
    }

    /**
     * A copy of {@code lines} with one answered get changed to read a value that a write called only
     * after the get returned: the value is unique and written by no earlier run, so it cannot be read
     * yet, and no order can explain the read. Empty when the history has no such pair.
     */
    static Optional<List<HistoryLine>> withReadFromTheFuture(List<HistoryLine> lines, SplittableRandom random) {
        List<int[]> pairs = new ArrayList<>();
        for (int g = 0; g < lines.size(); g++) {
            for (int w = g + 1; w < lines.size(); w++) {
                if (readsBefore(lines.get(g).entry(), lines.get(w).entry())) {
                    pairs.add(new int[] {g, w});
                }
            }
        }
        if (pairs.isEmpty()) {
            return Optional.empty();
        }
        int[] pair = pairs.get(random.nextInt(pairs.size()));
        HistoryEntry get = lines.get(pair[0]).entry();
        String future = lines.get(pair[1]).entry().op().value();
        List<HistoryLine> corrupted = new ArrayList<>(lines);
        corrupted.set(pair[0], new HistoryLine(pair[0] + 1, new HistoryEntry(get.client(), get.op(), get.callNanos(),
                get.retNanos(), get.status(), new Output.Read(Optional.of(future)))));
        return Optional.of(corrupted);
    }

    /**
     * A copy of {@code lines} with one answered get reading another value of the history (or
     * absent, or the earlier run's value), or one answered compare-and-set reporting the other
     * outcome: a change that may or may not break linearizability. Empty when nothing was answered.
     */
    static Optional<List<HistoryLine>> withOneOutputChanged(List<HistoryLine> lines, SplittableRandom random) {
        List<Integer> answered = new ArrayList<>();
        List<String> values = new ArrayList<>(Arrays.asList(null, "old-k0"));
        for (HistoryLine line : lines) {
            if (!(line.entry().output() instanceof Output.None)) {
                answered.add((int) line.number() - 1);
            }
            values.add(line.entry().op().value());
        }
        if (answered.isEmpty()) {
            return Optional.empty();
        }
        int index = answered.get(random.nextInt(answered.size()));
        HistoryEntry entry = lines.get(index).entry();
        Output changed = entry.output() instanceof Output.Swapped swapped
                ? new Output.Swapped(!swapped.success())
                : new Output.Read(Optional.ofNullable(values.get(random.nextInt(values.size()))));
        List<HistoryLine> copy = new ArrayList<>(lines);
        copy.set(index, new HistoryLine(index + 1, new HistoryEntry(entry.client(), entry.op(), entry.callNanos(),
                entry.retNanos(), entry.status(), changed)));
        return Optional.of(copy);
    }

    /** Whether {@code get} is an answered get that returned before {@code write}, on its key, was called. */
    private static boolean readsBefore(HistoryEntry get, HistoryEntry write) {
        return get.op().kind() == OpKind.GET && get.status() == OpStatus.OK
                && write.op().value() != null && write.op().key().equals(get.op().key())
                && write.callNanos() > get.retNanos();
    }
}
