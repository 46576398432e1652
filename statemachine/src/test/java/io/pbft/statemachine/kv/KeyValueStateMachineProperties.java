package io.pbft.statemachine.kv;

import static io.pbft.statemachine.SeededRuns.forEachSeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.statemachine.kv.KvOpGen.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Properties of the key-value store over random operation sequences. Each failure names its seed
 * and a replay command (see {@link io.pbft.statemachine.SeededRuns}).
 */
class KeyValueStateMachineProperties {

    private static final int TRIES = 200;
    private static final int MAX_OPS = 120;

    @Test
    void twoStoresFedTheSameOperationsGiveTheSameResultsDigestsAndSnapshots(TestInfo test) {
        forEachSeed(test, TRIES, random -> {
            KeyValueStateMachine first = new KeyValueStateMachine();
            KeyValueStateMachine second = new KeyValueStateMachine();
            List<Op> ops = KvOpGen.ops(random, MAX_OPS, true);
            for (int i = 0; i < ops.size(); i++) {
                byte[] operation = ops.get(i).encode();
                assertThat(second.execute(operation.clone()))
                        .as("result of op %d %s", i, ops.get(i))
                        .isEqualTo(first.execute(operation.clone()));
                assertThat(second.stateDigest()).as("digest after op %d", i).isEqualTo(first.stateDigest());
            }
            assertThat(second.snapshot()).isEqualTo(first.snapshot());
        });
    }

    @Test
    void digestDependsOnlyOnTheEntriesNotOnTheOrderOrHistoryThatProducedThem(TestInfo test) {
        forEachSeed(test, TRIES, random -> {
            int partitions = 1 << random.nextInt(9);
            KeyValueStateMachine executed = new KeyValueStateMachine(partitions);
            for (Op op : KvOpGen.ops(random, MAX_OPS, true)) {
                executed.execute(op.encode());
                if (random.nextInt(8) == 0) {
                    executed.stateDigest(); // a checkpoint midway: what it caches must not go stale
                }
            }
            KvOpGen.applyAll(executed, KvOpGen.widePuts(random, MAX_OPS));
            KeyValueStateMachine rebuilt = new KeyValueStateMachine(partitions);
            List<Map.Entry<String, String>> shuffled = new ArrayList<>(executed.entries().entrySet());
            KvOpGen.shuffle(shuffled, random);
            for (Map.Entry<String, String> entry : shuffled) {
                if (random.nextInt(4) == 0) {
                    rebuilt.execute(KvOps.put(entry.getKey(), "detour")); // a history the other store never had
                    rebuilt.stateDigest();
                }
                rebuilt.execute(KvOps.put(entry.getKey(), entry.getValue()));
            }

            assertThat(rebuilt.stateDigest()).isEqualTo(executed.stateDigest());
            assertThat(rebuilt.merkleTree().root()).isEqualTo(executed.stateDigest());
            for (int p = 0; p < partitions; p++) {
                assertThat(rebuilt.partitionDigest(p)).as("partition %d", p).isEqualTo(executed.partitionDigest(p));
            }
        });
    }

    @Test
    void answersMatchAnIndependentReferenceModel(TestInfo test) {
        forEachSeed(test, TRIES, random -> {
            KeyValueStateMachine store = new KeyValueStateMachine();
            ReferenceKv model = new ReferenceKv();
            List<Op> ops = KvOpGen.ops(random, MAX_OPS, false);
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                assertThat(KvResult.decode(store.execute(op.encode())))
                        .as("result of op %d %s", i, op)
                        .isEqualTo(model.expect(op));
            }
            assertThat(store.entries()).isEqualTo(model.entries());
        });
    }

    @Test
    void snapshotRestoredIntoAnotherStoreGivesEqualDigestAndEqualAnswers(TestInfo test) {
        forEachSeed(test, TRIES, random -> {
            KeyValueStateMachine original = new KeyValueStateMachine();
            KvOpGen.applyAll(original, KvOpGen.ops(random, MAX_OPS, true));
            // The target has contents of its own: restore must replace them, not merge.
            KeyValueStateMachine restored = new KeyValueStateMachine();
            KvOpGen.applyAll(restored, KvOpGen.puts(random, 10));
            restored.stateDigest(); // warm any cached digest: restore must not leave it stale

            restored.restore(original.snapshot());

            assertThat(restored.stateDigest()).isEqualTo(original.stateDigest());
            assertThat(restored.snapshot()).isEqualTo(original.snapshot());
            assertThat(restored.entries()).isEqualTo(original.entries());
            for (Op op : KvOpGen.ops(random, 40, true)) {
                byte[] operation = op.encode();
                assertThat(restored.execute(operation)).as("after restore: %s", op).isEqualTo(original.execute(operation));
            }
        });
    }

    @Test
    void queryNeverChangesTheStateAndAgreesWithExecuteOnReads(TestInfo test) {
        forEachSeed(test, TRIES, random -> {
            KeyValueStateMachine store = new KeyValueStateMachine();
            KvOpGen.applyAll(store, KvOpGen.ops(random, 60, false));
            byte[] digest = store.stateDigest();
            byte[] snapshot = store.snapshot();
            for (Op op : KvOpGen.ops(random, 40, true)) {
                byte[] answer = store.query(op.encode());
                assertThat(store.stateDigest()).as("digest after query %s", op).isEqualTo(digest);
                if (isRead(op)) {
                    assertThat(answer).as("query vs execute of %s", op).isEqualTo(store.execute(op.encode()));
                } else if (!(op instanceof KvOpGen.Garbage)) {
                    assertThat(KvResult.decode(answer).isInvalid()).as("query of write %s", op).isTrue();
                }
            }
            assertThat(store.snapshot()).isEqualTo(snapshot);
        });
    }

    @Test
    void digestChangesWhenOneValueOrOneKeyChanges(TestInfo test) {
        forEachSeed(test, TRIES, random -> {
            KeyValueStateMachine store = new KeyValueStateMachine();
            KvOpGen.applyAll(store, KvOpGen.puts(random, 20));
            store.execute(KvOps.put(KvOpGen.key(random), KvOpGen.value(random)));
            Map<String, String> entries = store.entries();
            List<String> keys = new ArrayList<>(entries.keySet());
            String key = keys.get(random.nextInt(keys.size()));

            KeyValueStateMachine changedValue = copyOf(store);
            changedValue.execute(KvOps.put(key, entries.get(key) + "x"));
            KeyValueStateMachine removedKey = copyOf(store);
            removedKey.execute(KvOps.delete(key));

            assertThat(changedValue.stateDigest()).isNotEqualTo(store.stateDigest());
            assertThat(removedKey.stateDigest()).isNotEqualTo(store.stateDigest());
            assertThat(removedKey.stateDigest()).isNotEqualTo(changedValue.stateDigest());
        });
    }

    @Test
    void restoreEitherRejectsAndKeepsTheStateOrAcceptsOnlyACanonicalSnapshot(TestInfo test) {
        forEachSeed(test, TRIES, random -> {
            KeyValueStateMachine source = new KeyValueStateMachine();
            KvOpGen.applyAll(source, KvOpGen.puts(random, 10));
            byte[] candidate = corrupt(source.snapshot(), random);
            KeyValueStateMachine target = new KeyValueStateMachine();
            KvOpGen.applyAll(target, KvOpGen.puts(random, 10));
            byte[] digestBefore = target.stateDigest();
            Map<String, String> entriesBefore = target.entries();

            try {
                target.restore(candidate);
            } catch (IllegalArgumentException rejected) {
                assertThat(target.stateDigest()).isEqualTo(digestBefore);
                assertThat(target.entries()).isEqualTo(entriesBefore);
                return;
            }
            assertThat(target.snapshot()).as("an accepted snapshot re-encodes to itself").isEqualTo(candidate);
            KeyValueStateMachine fresh = new KeyValueStateMachine();
            fresh.restore(candidate);
            assertThat(target.stateDigest()).isEqualTo(fresh.stateDigest());
        });
    }

    @Test
    void restoreOfRandomBytesIsRejectedWithoutChangingTheState(TestInfo test) {
        forEachSeed(test, TRIES, random -> {
            KeyValueStateMachine store = new KeyValueStateMachine();
            KvOpGen.applyAll(store, KvOpGen.puts(random, 10));
            byte[] digestBefore = store.stateDigest();

            assertThatThrownBy(() -> store.restore(KvOpGen.garbage(random)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(store.stateDigest()).isEqualTo(digestBefore);
        });
    }

    private static boolean isRead(Op op) {
        return op instanceof KvOpGen.Get || (op instanceof KvOpGen.Tx tx && tx.transaction().isReadOnly());
    }

    private static KeyValueStateMachine copyOf(KeyValueStateMachine store) {
        KeyValueStateMachine copy = new KeyValueStateMachine();
        copy.restore(store.snapshot());
        return copy;
    }

    /** Flips, drops, truncates or appends bytes of a valid snapshot. */
    private static byte[] corrupt(byte[] snapshot, SplittableRandom random) {
        byte[] bytes = snapshot.clone();
        switch (random.nextInt(4)) {
            case 0:
                bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
                return bytes;
            case 1:
                return Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 2:
                return Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(8));
            default:
                int at = random.nextInt(bytes.length);
                int length = random.nextInt(4);
                bytes[at] = (byte) length;
                return bytes;
        }
    }
}
