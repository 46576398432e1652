package io.pbft.chaos.check.history;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The search's memo: the configurations (the linearized operations, and the state they leave) it
 * has entered, each of which has failed or is still being explored. Porcupine's memoization, plus
 * one rule for operations of unknown outcome: a configuration is covered by one that differs only
 * in having linearized fewer of them, since any way on from the former is also a way on from the
 * latter (those operations never have to take effect). Without the rule, k such operations open
 * across a history multiply the configurations by up to 2^k.
 *
 * <p>Covering by a configuration still being explored (an ancestor) is sound too: a linearization
 * that the covered one would have found is also open to the ancestor, which tries every way on.
 * To stay at a few hash lookups a step, only the likeliest coverers are looked up: the same set of
 * unknown operations, the empty set, and each set with one fewer.
 *
 * <p>Operations are indexed with the answered ones first, in return order, so a set of them is
 * almost a prefix (every operation that returned before some point) plus the few open at that
 * point. It is stored that way, as the prefix length and the indices beyond it: tens of bytes,
 * not one bit per operation of a history that may hold thousands.
 */
final class SeenConfigurations {

    private static final BitSet NONE = new BitSet();

    /** The answered part of a configuration, and its state. */
    private record Key(int prefix, int[] beyond, int state) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && prefix == that.prefix && state == that.state
                    && Arrays.equals(beyond, that.beyond);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * prefix + Arrays.hashCode(beyond)) + state;
        }
    }

    private final int answered;
    /** For each answered part and state, the sets of unknown operations it was entered with. */
    private final Map<Key, Set<BitSet>> seen = new HashMap<>();

    /** Operations {@code [0, answered)} must take effect; those from {@code answered} on may not. */
    SeenConfigurations(int answered) {
        this.answered = answered;
    }

    void add(BitSet linearized, int state) {
        seen.computeIfAbsent(key(linearized, state), key -> new HashSet<>()).add(unknownPart(linearized));
    }

    /** Whether the configuration, or one with fewer unknown operations, was entered before. */
    boolean covers(BitSet linearized, int state) {
        Set<BitSet> entered = seen.get(key(linearized, state));
        if (entered == null) {
            return false;
        }
        BitSet unknown = unknownPart(linearized);
        if (entered.contains(unknown) || entered.contains(NONE)) {
            return true;
        }
        for (int op = unknown.nextSetBit(0); op >= 0; op = unknown.nextSetBit(op + 1)) {
            unknown.clear(op);
            boolean covered = entered.contains(unknown);
            unknown.set(op);
            if (covered) {
                return true;
            }
        }
        return false;
    }

    private Key key(BitSet linearized, int state) {
        int prefix = Math.min(linearized.nextClearBit(0), answered);
        int[] beyond = linearized.get(prefix, answered).stream().map(op -> op + prefix).toArray();
        return new Key(prefix, beyond, state);
    }

    private BitSet unknownPart(BitSet linearized) {
        return linearized.get(answered, Math.max(answered, linearized.length()));
    }
}
