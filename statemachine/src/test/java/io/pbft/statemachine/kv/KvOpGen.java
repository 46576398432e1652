package io.pbft.statemachine.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random key-value operations for the properties. Keys and values come from small pools so that
 * operations collide (a cas often finds its expected value) and include the empty string,
 * non-ASCII and a supplementary character (whose UTF-16 order differs from its UTF-8 order).
 */
final class KvOpGen {

    private static final String[] KEYS = {"a", "b", "c", "d", "", "ключ", "\uD83D\uDE00k", "\uFFFDz"};
    private static final String[] VALUES = {"1", "2", "3", "", "värde", "\uD83D\uDE00"};

    /** An operation as the test sees it, before encoding. */
    sealed interface Op {
        byte[] encode();
    }

    record Get(String key) implements Op {
        public byte[] encode() {
            return KvOps.get(key);
        }
    }

    record Put(String key, String value) implements Op {
        public byte[] encode() {
            return KvOps.put(key, value);
        }
    }

    record Delete(String key) implements Op {
        public byte[] encode() {
            return KvOps.delete(key);
        }
    }

    record Cas(String key, String expectedOrNull, String newValue) implements Op {
        public byte[] encode() {
            return KvOps.cas(key, expectedOrNull, newValue);
        }
    }

    record Tx(Transaction transaction) implements Op {
        public byte[] encode() {
            return KvOps.transaction(transaction);
        }
    }

    /** Random bytes: usually not a KvOperation, sometimes one by accident. */
    record Garbage(byte[] bytes) implements Op {
        public byte[] encode() {
            return bytes.clone();
        }
    }

    private KvOpGen() {}

    static List<Op> ops(SplittableRandom random, int maxCount, boolean withGarbage) {
        int count = random.nextInt(maxCount + 1);
        List<Op> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ops.add(op(random, withGarbage));
        }
        return ops;
    }

    static Op op(SplittableRandom random, boolean withGarbage) {
        int kind = random.nextInt(withGarbage ? 100 : 95);
        if (kind < 20) {
            return new Get(key(random));
        } else if (kind < 45) {
            return new Put(key(random), value(random));
        } else if (kind < 55) {
            return new Delete(key(random));
        } else if (kind < 75) {
            return new Cas(key(random), valueOrNull(random), value(random));
        } else if (kind < 95) {
            return new Tx(transaction(random, random.nextInt(4) != 0));
        }
        return new Garbage(garbage(random));
    }

    /** Puts that fill a store with a random state. */
    static List<Op> puts(SplittableRandom random, int maxCount) {
        int count = random.nextInt(maxCount + 1);
        List<Op> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ops.add(new Put(key(random), value(random)));
        }
        return ops;
    }

    /**
     * Puts and deletes over a pool of a few hundred keys, with values up to 60 characters: enough
     * to spread over many partitions and to make partitions span several chunks.
     */
    static List<Op> widePuts(SplittableRandom random, int maxCount) {
        int count = random.nextInt(maxCount + 1);
        List<Op> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ops.add(widePut(random));
        }
        return ops;
    }

    /** One put or delete of {@link #widePuts}. */
    static Op widePut(SplittableRandom random) {
        String key = random.nextInt(10) == 0 ? key(random) : "k" + random.nextInt(300);
        return random.nextInt(5) == 0 ? new Delete(key) : new Put(key, longValue(random));
    }

    /** A store with {@code partitions} partitions in a random state: up to {@code maxPuts} wide puts, then mixed operations. */
    static KeyValueStateMachine randomStore(SplittableRandom random, int partitions, int maxPuts) {
        KeyValueStateMachine store = new KeyValueStateMachine(partitions);
        applyAll(store, widePuts(random, maxPuts));
        applyAll(store, ops(random, 40, true));
        return store;
    }

    static Transaction transaction(SplittableRandom random, boolean withWrites) {
        Transaction.Builder tx = Transaction.builder();
        for (int i = random.nextInt(3); i > 0; i--) {
            tx.require(key(random), valueOrNull(random));
        }
        for (int i = withWrites ? random.nextInt(4) : 0; i > 0; i--) {
            if (random.nextInt(3) == 0) {
                tx.delete(key(random));
            } else {
                tx.put(key(random), value(random));
            }
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            tx.read(key(random));
        }
        return tx.build();
    }

    static String key(SplittableRandom random) {
        return KEYS[random.nextInt(KEYS.length)];
    }

    static String value(SplittableRandom random) {
        if (random.nextInt(10) == 0) {
            return "v" + random.nextInt(1_000_000);
        }
        return VALUES[random.nextInt(VALUES.length)];
    }

    static String longValue(SplittableRandom random) {
        StringBuilder value = new StringBuilder();
        for (int i = random.nextInt(61); i > 0; i--) {
            value.append(random.nextInt(8) == 0 ? 'ж' : (char) ('a' + random.nextInt(26)));
        }
        return value.toString();
    }

    static String valueOrNull(SplittableRandom random) {
        return random.nextInt(3) == 0 ? null : value(random);
    }

    static byte[] garbage(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(40)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Fisher-Yates, so that the order follows from the seed alone. */
    static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T swapped = list.get(i);
            list.set(i, list.get(j));
            list.set(j, swapped);
        }
    }

    static void applyAll(KeyValueStateMachine store, List<Op> ops) {
        for (Op op : ops) {
            store.execute(op.encode());
        }
    }
}
