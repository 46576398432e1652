package io.pbft.statemachine.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.statemachine.StateMachine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyValueStateMachineTest {

    private final KeyValueStateMachine store = new KeyValueStateMachine();

    private KvResult execute(byte[] operation) {
        return KvResult.decode(store.execute(operation));
    }

    private KvResult query(byte[] operation) {
        return KvResult.decode(store.query(operation));
    }

    @Nested
    class GetPutDelete {

        @Test
        void getOfAbsentKeyAnswersEmpty() {
            assertThat(execute(KvOps.get("k")).asValue().value()).isEmpty();
        }

        @Test
        void putAnswersThePreviousValueAndGetSeesTheNewOne() {
            assertThat(execute(KvOps.put("k", "v1")).asPrevious().previous()).isEmpty();
            assertThat(execute(KvOps.put("k", "v2")).asPrevious().previous()).contains("v1");
            assertThat(execute(KvOps.get("k")).asValue().value()).contains("v2");
        }

        @Test
        void deleteAnswersThePreviousValueAndRemovesTheKey() {
            execute(KvOps.put("k", "v"));

            assertThat(execute(KvOps.delete("k")).asPrevious().previous()).contains("v");
            assertThat(execute(KvOps.get("k")).asValue().value()).isEmpty();
            assertThat(store.size()).isZero();
        }

        @Test
        void deleteOfAbsentKeyAnswersEmptyAndChangesNothing() {
            byte[] digest = store.stateDigest();

            assertThat(execute(KvOps.delete("k")).asPrevious().previous()).isEmpty();
            assertThat(store.stateDigest()).isEqualTo(digest);
        }

        @Test
        void emptyStringIsAValueDistinctFromAbsent() {
            execute(KvOps.put("", ""));

            assertThat(execute(KvOps.get("")).asValue().value()).contains("");
            assertThat(execute(KvOps.cas("", null, "x")).asCas()).isEqualTo(new KvResult.CasOutcome(false, Optional.of("")));
        }

        @Test
        void nonAsciiKeysAndValuesRoundTrip() {
            execute(KvOps.put("ключ \uD83D\uDE00", "värde"));

            assertThat(execute(KvOps.get("ключ \uD83D\uDE00")).asValue().value()).contains("värde");
        }
    }

    @Nested
    class CompareAndSet {

        @Test
        void casWithAbsentExpectedCreatesAMissingKey() {
            assertThat(execute(KvOps.cas("k", null, "v")).asCas()).isEqualTo(new KvResult.CasOutcome(true, Optional.of("v")));
            assertThat(store.entries()).containsExactly(Map.entry("k", "v"));
        }

        @Test
        void casWithAbsentExpectedFailsOnAnExistingKeyAndAnswersItsValue() {
            execute(KvOps.put("k", "old"));

            assertThat(execute(KvOps.cas("k", null, "new")).asCas()).isEqualTo(new KvResult.CasOutcome(false, Optional.of("old")));
            assertThat(store.entries()).containsExactly(Map.entry("k", "old"));
        }

        @Test
        void casWithMatchingExpectedWritesTheNewValue() {
            execute(KvOps.put("k", "old"));

            assertThat(execute(KvOps.cas("k", "old", "new")).asCas()).isEqualTo(new KvResult.CasOutcome(true, Optional.of("new")));
            assertThat(execute(KvOps.get("k")).asValue().value()).contains("new");
        }

        @Test
        void casMismatchChangesNothingAndAnswersTheCurrentValue() {
            execute(KvOps.put("k", "actual"));
            byte[] digest = store.stateDigest();

            assertThat(execute(KvOps.cas("k", "guess", "new")).asCas()).isEqualTo(new KvResult.CasOutcome(false, Optional.of("actual")));
            assertThat(store.stateDigest()).isEqualTo(digest);
        }

        @Test
        void casExpectingAValueOnAMissingKeyFailsAndAnswersEmpty() {
            assertThat(execute(KvOps.cas("k", "v", "new")).asCas()).isEqualTo(new KvResult.CasOutcome(false, Optional.empty()));
            assertThat(store.size()).isZero();
        }
    }

    @Nested
    class Transactions {

        @Test
        void transactionWhoseConditionsHoldAppliesEveryWriteAndAnswersReadsAfterwards() {
            execute(KvOps.put("from", "10"));
            execute(KvOps.put("pending", "yes"));

            KvResult.TransactionOutcome outcome = execute(KvOps.transaction(Transaction.builder()
                    .require("from", "10")
                    .require("to", null)
                    .put("from", "7")
                    .put("to", "3")
                    .delete("pending")
                    .read("from").read("to").read("pending")
                    .build())).asTransaction();

            assertThat(outcome.committed()).isTrue();
            assertThat(outcome.reads()).containsExactly(
                    Map.entry("from", Optional.of("7")), Map.entry("to", Optional.of("3")), Map.entry("pending", Optional.empty()));
            assertThat(store.entries()).containsExactly(Map.entry("from", "7"), Map.entry("to", "3"));
        }

        @Test
        void transactionWithOneFailingConditionAppliesNothingAndAnswersCurrentValues() {
            execute(KvOps.put("a", "1"));
            execute(KvOps.put("b", "2"));
            byte[] digest = store.stateDigest();

            KvResult.TransactionOutcome outcome = execute(KvOps.transaction(Transaction.builder()
                    .require("a", "1")
                    .require("b", "not 2")
                    .put("a", "changed")
                    .delete("b")
                    .put("c", "new")
                    .read("a").read("b").read("c")
                    .build())).asTransaction();

            assertThat(outcome.committed()).isFalse();
            assertThat(outcome.read("a")).contains("1");
            assertThat(outcome.read("b")).contains("2");
            assertThat(outcome.read("c")).isEmpty();
            assertThat(store.stateDigest()).isEqualTo(digest);
        }

        @Test
        void conditionsAreCheckedBeforeAnyWriteOfTheSameTransaction() {
            KvResult.TransactionOutcome outcome = execute(KvOps.transaction(Transaction.builder()
                    .put("k", "written first")
                    .require("k", null)
                    .build())).asTransaction();

            assertThat(outcome.committed()).isTrue();
            assertThat(store.entries()).containsExactly(Map.entry("k", "written first"));
        }

        @Test
        void laterWriteToTheSameKeyWins() {
            execute(KvOps.transaction(Transaction.builder().put("k", "1").delete("k").put("k", "3").build()));

            assertThat(store.entries()).containsExactly(Map.entry("k", "3"));
        }

        @Test
        void emptyTransactionCommitsAndChangesNothing() {
            KvResult.TransactionOutcome outcome = execute(KvOps.transaction(Transaction.builder().build())).asTransaction();

            assertThat(outcome).isEqualTo(new KvResult.TransactionOutcome(true, Map.of()));
        }

        @Test
        void readOfAKeyTheTransactionDidNotReadIsAnError() {
            KvResult.TransactionOutcome outcome = execute(KvOps.transaction(Transaction.builder().read("a").build())).asTransaction();

            assertThatThrownBy(() -> outcome.read("b")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class MalformedOperations {

        static Stream<Arguments> malformed() {
            return Stream.of(
                    Arguments.of("empty bytes", new byte[0], KvExecution.EMPTY_OPERATION),
                    Arguments.of("null", null, KvExecution.MALFORMED_OPERATION),
                    Arguments.of("truncated varint", new byte[] {(byte) 0x80}, KvExecution.MALFORMED_OPERATION),
                    Arguments.of("length beyond end", new byte[] {0x0a, 0x7f, 0x01}, KvExecution.MALFORMED_OPERATION),
                    Arguments.of("invalid UTF-8 key", new byte[] {0x0a, 0x03, 0x0a, 0x01, (byte) 0xff}, KvExecution.MALFORMED_OPERATION),
                    Arguments.of("text", "put k v".getBytes(StandardCharsets.UTF_8), KvExecution.MALFORMED_OPERATION),
                    Arguments.of("truncated put", truncated(KvOps.put("key", "value")), KvExecution.MALFORMED_OPERATION));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("malformed")
        void malformedOperationGivesAnInvalidResultAndChangesNothing(String name, byte[] operation, String reason) {
            execute(KvOps.put("k", "v"));
            byte[] digest = store.stateDigest();

            assertThat(execute(operation)).isEqualTo(new KvResult.Invalid(reason));
            assertThat(query(operation)).isEqualTo(new KvResult.Invalid(reason));
            assertThat(store.stateDigest()).isEqualTo(digest);
        }

        @Test
        void unknownFieldsAreIgnoredTheSameWayOnEveryReplica() {
            byte[] get = KvOps.get("k");
            byte[] withUnknownField = new byte[get.length + 2];
            System.arraycopy(get, 0, withUnknownField, 0, get.length);
            withUnknownField[get.length] = (byte) (99 << 3); // field 99, varint
            withUnknownField[get.length + 1] = 1;

            assertThat(execute(withUnknownField)).isEqualTo(new KvResult.Value(Optional.empty()));
        }

        private static byte[] truncated(byte[] bytes) {
            return java.util.Arrays.copyOf(bytes, bytes.length - 2);
        }
    }

    @Nested
    class Queries {

        @Test
        void getViaQueryAnswersTheSameBytesAsViaExecute() {
            execute(KvOps.put("k", "v"));

            assertThat(store.query(KvOps.get("k"))).isEqualTo(store.execute(KvOps.get("k")));
            assertThat(store.query(KvOps.get("absent"))).isEqualTo(store.execute(KvOps.get("absent")));
        }

        @Test
        void readOnlyTransactionRunsAsAQuery() {
            execute(KvOps.put("k", "v"));
            byte[] tx = KvOps.transaction(Transaction.builder().require("k", "v").read("k").build());

            assertThat(query(tx)).isEqualTo(new KvResult.TransactionOutcome(true, Map.of("k", Optional.of("v"))));
        }

        @Test
        void writesSentAsQueriesAreRejectedAndDoNotChangeTheState() {
            execute(KvOps.put("k", "v"));
            byte[] digest = store.stateDigest();

            for (byte[] write : new byte[][] {
                    KvOps.put("k", "x"), KvOps.delete("k"), KvOps.cas("k", "v", "x"),
                    KvOps.transaction(Transaction.builder().put("k", "x").build())}) {
                assertThat(query(write)).isEqualTo(new KvResult.Invalid(KvExecution.WRITE_IN_QUERY));
            }
            assertThat(store.stateDigest()).isEqualTo(digest);
            assertThat(store.entries()).containsExactly(Map.entry("k", "v"));
        }
    }

    @Nested
    class DigestAndSnapshot {

        @Test
        void digestIs32BytesAndDependsOnlyOnTheContents() {
            KeyValueStateMachine other = new KeyValueStateMachine();
            other.execute(KvOps.put("temporary", "x"));
            other.execute(KvOps.delete("temporary"));

            assertThat(store.stateDigest()).hasSize(StateMachine.DIGEST_BYTES).isEqualTo(other.stateDigest());
        }

        @Test
        void digestDiffersWhenOneValueDiffers() {
            KeyValueStateMachine other = new KeyValueStateMachine();
            store.execute(KvOps.put("k", "v1"));
            other.execute(KvOps.put("k", "v2"));

            assertThat(store.stateDigest()).isNotEqualTo(other.stateDigest());
        }

        @Test
        void digestDoesNotConfuseWhereKeyEndsAndValueBegins() {
            KeyValueStateMachine other = new KeyValueStateMachine();
            store.execute(KvOps.put("ab", "c"));
            other.execute(KvOps.put("a", "bc"));

            assertThat(store.stateDigest()).isNotEqualTo(other.stateDigest());
        }

        @Test
        void digestTracksEveryChange() {
            byte[] empty = store.stateDigest();
            store.execute(KvOps.put("k", "v"));
            byte[] one = store.stateDigest();
            store.execute(KvOps.cas("k", "v", "w"));
            byte[] changed = store.stateDigest();

            assertThat(one).isNotEqualTo(empty);
            assertThat(changed).isNotEqualTo(one);
        }

        @Test
        void returnedDigestIsAFreshCopy() {
            byte[] digest = store.stateDigest();
            digest[0] ^= 1;

            assertThat(store.stateDigest()).isNotEqualTo(digest);
        }

        @Test
        void snapshotRestoresIntoAFreshStoreWithEqualDigestAndAnswers() {
            store.execute(KvOps.put("b", "2"));
            store.execute(KvOps.put("a", "1"));
            store.execute(KvOps.put("\uD83D\uDE00", "smile"));
            KeyValueStateMachine fresh = new KeyValueStateMachine();

            fresh.restore(store.snapshot());

            assertThat(fresh.stateDigest()).isEqualTo(store.stateDigest());
            assertThat(fresh.snapshot()).isEqualTo(store.snapshot());
            assertThat(fresh.execute(KvOps.get("a"))).isEqualTo(store.execute(KvOps.get("a")));
            assertThat(fresh.entries()).isEqualTo(store.entries());
        }

        @Test
        void restoreReplacesTheWholeState() {
            KeyValueStateMachine source = new KeyValueStateMachine();
            source.execute(KvOps.put("only", "this"));
            store.execute(KvOps.put("stale", "x"));
            store.stateDigest();

            store.restore(source.snapshot());

            assertThat(store.entries()).containsExactly(Map.entry("only", "this"));
            assertThat(store.stateDigest()).isEqualTo(source.stateDigest());
        }

        static Stream<Arguments> malformedSnapshots() {
            return Stream.of(
                    Arguments.of("null", null),
                    Arguments.of("empty", new byte[0]),
                    Arguments.of("wrong magic", snapshot("XXXX", 1, 0)),
                    Arguments.of("unknown version", snapshot("PBKV", 2, 0)),
                    Arguments.of("negative count", snapshot("PBKV", 1, -1)),
                    Arguments.of("count larger than the bytes", snapshot("PBKV", 1, Integer.MAX_VALUE)),
                    Arguments.of("truncated entry", snapshot("PBKV", 1, 1, "k")),
                    Arguments.of("string length past the end", withEntryLengths(5, 0)),
                    Arguments.of("negative string length", withEntryLengths(-1, 0)),
                    Arguments.of("trailing bytes", snapshot("PBKV", 1, 0, "")),
                    Arguments.of("keys out of order", snapshot("PBKV", 1, 2, "b", "1", "a", "2")),
                    Arguments.of("duplicate key", snapshot("PBKV", 1, 2, "a", "1", "a", "2")),
                    Arguments.of("invalid UTF-8", invalidUtf8Snapshot()));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("malformedSnapshots")
        void restoreOfMalformedSnapshotThrowsAndLeavesTheStateIntact(String name, byte[] snapshot) {
            store.execute(KvOps.put("keep", "me"));
            byte[] digest = store.stateDigest();

            assertThatThrownBy(() -> store.restore(snapshot)).isInstanceOf(IllegalArgumentException.class);
            assertThat(store.stateDigest()).isEqualTo(digest);
            assertThat(store.entries()).containsExactly(Map.entry("keep", "me"));
        }

        @Test
        void wellFormedHandBuiltSnapshotIsAccepted() {
            store.restore(snapshot("PBKV", 1, 2, "a", "1", "b", "2"));

            assertThat(store.entries()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        }

        private static byte[] snapshot(String magic, int version, int count, String... strings) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(magic.getBytes(StandardCharsets.US_ASCII));
            out.write(version);
            writeInt(out, count);
            for (String s : strings) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                writeInt(out, bytes.length);
                out.writeBytes(bytes);
            }
            return out.toByteArray();
        }

        private static byte[] withEntryLengths(int keyLength, int valueLength) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(snapshot("PBKV", 1, 1));
            writeInt(out, keyLength);
            writeInt(out, valueLength);
            return out.toByteArray();
        }

        private static byte[] invalidUtf8Snapshot() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(snapshot("PBKV", 1, 1));
            writeInt(out, 1);
            out.write(0xff);
            writeInt(out, 0);
            return out.toByteArray();
        }

        private static void writeInt(ByteArrayOutputStream out, int value) {
            out.write(value >>> 24);
            out.write(value >>> 16);
            out.write(value >>> 8);
            out.write(value);
        }
    }
}
