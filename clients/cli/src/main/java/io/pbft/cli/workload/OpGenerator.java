package io.pbft.cli.workload;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One workload client's stream of operations over keys {@code k0 .. k(K-1)}, so that clients
 * contend on the same keys. Every value written is unique in the run
 * ({@code <runId>-<client index>-<n>}), which lets a linearizability checker tell writes apart.
 * A compare-and-set expects the value this client last saw under its key, so that some succeed.
 *
 * <p>Deterministic: the same run id, client index, seed and observations give the same
 * operations. Not thread-safe: one generator per client, used by one thread at a time.
 */
public final class OpGenerator {

    private final String runId;
    private final int clientIndex;
    private final int keyCount;
    private final OpMix mix;
    private final SplittableRandom random;
    /** Per key, the value this client last saw there; absent when it saw none or saw it deleted. */
    private final Map<String, String> lastSeen = new HashMap<>();
    private long written;

    public OpGenerator(String runId, int clientIndex, long seed, int keyCount, OpMix mix) {
        if (keyCount < 1) {
            throw new IllegalArgumentException("keyCount must be at least 1, was " + keyCount);
        }
        this.runId = runId;
        this.clientIndex = clientIndex;
        this.keyCount = keyCount;
        this.mix = mix;
        // Each client its own stream, derived from the run's seed and its index.
        this.random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (clientIndex + 1L)));
    }

    public PlannedOp next() {
        OpKind kind = mix.pick(random.nextInt(100));
        String key = "k" + random.nextInt(keyCount);
        return switch (kind) {
            case GET -> PlannedOp.get(key);
            case PUT -> PlannedOp.put(key, nextValue());
            case CAS -> PlannedOp.cas(key, lastSeen.get(key), nextValue());
            case DELETE -> PlannedOp.delete(key);
        };
    }

    /** Learns that {@code key} holds {@code current} (empty: does not exist). */
    public void observe(String key, Optional<String> current) {
        if (current.isPresent()) {
            lastSeen.put(key, current.get());
        } else {
            lastSeen.remove(key);
        }
    }

    /** How many values this generator has handed out. */
    public long valuesWritten() {
        return written;
    }

    private String nextValue() {
        return runId + "-" + clientIndex + "-" + written++;
    }
}
