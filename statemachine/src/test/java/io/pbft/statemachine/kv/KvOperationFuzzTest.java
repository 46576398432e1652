package io.pbft.statemachine.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pbft.statemachine.SeededRuns;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Hostile operations, as any client can put in a request: every replica executes them, so one
 * that throws, or that two replicas execute differently, stops or splits the cluster. Each input
 * is a run of operations ({@code query? (1) | length (2) | bytes}); each must give a result, a
 * query must leave the state as it was, a second store replaying the run must give the same
 * results and digest, and the snapshot must restore to that digest while a damaged snapshot is
 * refused with {@link IllegalArgumentException} and leaves the store as it was.
 *
 * <p>{@link #operations} replays its corpus under plain JUnit and fuzzes with {@code JAZZER_FUZZ=1}
 * (docs/fuzzing.md); the seeded test feeds it runs of valid, damaged and random operations.
 */
class KvOperationFuzzTest {

    private static final int PARTITIONS = 8;

    @FuzzTest(maxDuration = "2m")
    void operations(byte[] input) {
        KeyValueStateMachine store = new KeyValueStateMachine(PARTITIONS);
        KeyValueStateMachine replay = new KeyValueStateMachine(PARTITIONS);
        for (Piece piece : split(input)) {
            if (piece.query()) {
                byte[] before = store.stateDigest();
                assertThat(store.query(piece.operation())).isNotNull();
                assertThat(store.stateDigest()).as("a query wrote").isEqualTo(before);
            } else {
                assertThat(store.execute(piece.operation())).isEqualTo(replay.execute(piece.operation()));
            }
        }
        assertThat(store.stateDigest()).isEqualTo(replay.stateDigest());

        byte[] snapshot = store.snapshot();
        KeyValueStateMachine restored = new KeyValueStateMachine(PARTITIONS);
        restored.restore(snapshot);
        assertThat(restored.stateDigest()).isEqualTo(store.stateDigest());
        if (snapshot.length > 0 && input.length > 0) {
            byte[] damaged = snapshot.clone();
            damaged[(input[0] & 0xff) % damaged.length] ^= (byte) (1 + (input[input.length - 1] & 0x7f));
            byte[] digest = restored.stateDigest();
            try {
                restored.restore(damaged);
            } catch (IllegalArgumentException refused) {
                assertThat(restored.stateDigest()).as("a refused snapshot changed the state").isEqualTo(digest);
            }
        }
    }

    @Test
    void seededHostileOperationsExecuteAlikeAndNeverThrow(TestInfo test) {
        SeededRuns.forEachSeed(test, 300, random -> operations(hostileRun(random)));
    }

    @Test
    void aSnapshotCutShortIsRefusedAndTheStoreKeepsItsState() {
        KeyValueStateMachine store = new KeyValueStateMachine(PARTITIONS);
        store.execute(KvOps.put("k", "v"));
        byte[] snapshot = store.snapshot();
        byte[] digest = store.stateDigest();

        assertThatThrownBy(() -> store.restore(Arrays.copyOf(snapshot, snapshot.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.stateDigest()).isEqualTo(digest);
    }

    private record Piece(boolean query, byte[] operation) {}

    private static List<Piece> split(byte[] input) {
        List<Piece> pieces = new ArrayList<>();
        int at = 0;
        while (at < input.length) {
            boolean query = (input[at] & 1) == 1;
            int length = at + 2 < input.length ? ((input[at + 1] & 0xff) << 8) | (input[at + 2] & 0xff) : 0;
            int start = Math.min(input.length, at + 3);
            int end = Math.min(input.length, start + length);
            pieces.add(new Piece(query, Arrays.copyOfRange(input, start, end)));
            at = end;
        }
        return pieces;
    }

    /** Valid operations of every kind, some with a byte damaged, some garbage, a few as queries. */
    private static byte[] hostileRun(SplittableRandom random) {
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        for (KvOpGen.Op op : KvOpGen.ops(random, 30, true)) {
            byte[] operation = op.encode();
            if (operation.length > 0 && random.nextInt(4) == 0) {
                operation[random.nextInt(operation.length)] ^= (byte) (1 << random.nextInt(8));
            }
            run.write(random.nextInt(5) == 0 ? 1 : 0);
            run.write(operation.length >>> 8);
            run.write(operation.length);
            run.writeBytes(operation);
        }
        return run.toByteArray();
    }
}
