package io.pbft.driver.state;

import com.google.protobuf.ByteString;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import java.util.Random;

/** Key-value states and checkpoints of them, for the state-transfer tests. */
final class TransferFixtures {

    static final CheckpointDigests DIGESTS = new CheckpointDigests();

    private TransferFixtures() {}

    /** A checkpoint as a server keeps it, with the digest 2f + 1 replicas would have certified. */
    record Checkpoint(long sequence, KeyValueStateMachine state, ByteString clientTable, ByteString digest) {

        /** A frozen copy of {@code source} as of {@code sequence}: later changes to the source do not reach it. */
        static Checkpoint of(long sequence, KeyValueStateMachine source, ByteString clientTable) {
            KeyValueStateMachine frozen = copyOf(source);
            ByteString root = ByteString.copyFrom(frozen.stateDigest());
            return new Checkpoint(sequence, frozen, clientTable,
                    DIGESTS.checkpointDigest(root, DIGESTS.clientTableDigest(clientTable)));
        }

        ServedCheckpoint served() {
            return new FrozenCheckpoint(sequence, state.checkpoint(), clientTable);
        }

        byte[] partitionDigest(int partition) {
            return state.partitionDigest(partition);
        }
    }

    /** A store with {@code keys} entries {@code key-i -> prefix + i}. */
    static KeyValueStateMachine store(int partitions, int keys, String valuePrefix) {
        KeyValueStateMachine store = new KeyValueStateMachine(partitions);
        for (int i = 0; i < keys; i++) {
            put(store, "key-" + i, valuePrefix + i);
        }
        return store;
    }

    static KeyValueStateMachine copyOf(KeyValueStateMachine source) {
        KeyValueStateMachine copy = new KeyValueStateMachine(source.partitionCount());
        copy.restore(source.snapshot());
        return copy;
    }

    static void put(KeyValueStateMachine store, String key, String value) {
        store.execute(KvOps.put(key, value));
    }

    static void delete(KeyValueStateMachine store, String key) {
        store.execute(KvOps.delete(key));
    }

    /** Writes one new key into each of {@code partitions}, so that exactly those differ afterwards. */
    static void divergeIn(KeyValueStateMachine store, int... partitions) {
        for (int partition : partitions) {
            int i = 0;
            while (store.partitionOf("diverge-" + i) != partition) {
                i++;
            }
            put(store, "diverge-" + i, "local only");
        }
    }

    /** Arbitrary bytes standing for a client table of {@code bytes} bytes. */
    static ByteString clientTable(int bytes, long seed) {
        byte[] table = new byte[bytes];
        new Random(seed).nextBytes(table);
        return ByteString.copyFrom(table);
    }

    /** {@code bytes} with its first byte flipped; empty stays empty. */
    static ByteString flipped(ByteString bytes) {
        if (bytes.isEmpty()) {
            return bytes;
        }
        byte[] copy = bytes.toByteArray();
        copy[0] ^= 0x5a;
        return ByteString.copyFrom(copy);
    }
}
