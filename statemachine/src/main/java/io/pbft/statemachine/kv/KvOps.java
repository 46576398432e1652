package io.pbft.statemachine.kv;

import io.pbft.statemachine.kv.proto.KvOperation;
import java.util.Objects;

/**
 * Encodes the operations of {@link KeyValueStateMachine}: each factory returns the operation
 * bytes a client sends (to {@code invoke}, or to {@code invokeReadOnly} for {@link #get} and
 * read-only transactions). Decode the answer with {@link KvResult#decode}.
 *
 * <p>Arguments may not be null except where named {@code OrNull}; a null is a programming error
 * on the client side and throws {@link NullPointerException}.
 */
public final class KvOps {

    private KvOps() {}

    /** Reads {@code key}; answered by {@link KvResult.Value}. */
    public static byte[] get(String key) {
        KvOperation.Get get = KvOperation.Get.newBuilder().setKey(requireKey(key)).build();
        return KvOperation.newBuilder().setGet(get).build().toByteArray();
    }

    /** Writes {@code value} under {@code key}; answered by {@link KvResult.Previous}. */
    public static byte[] put(String key, String value) {
        KvOperation.Put put = KvOperation.Put.newBuilder()
                .setKey(requireKey(key))
                .setValue(Objects.requireNonNull(value, "value"))
                .build();
        return KvOperation.newBuilder().setPut(put).build().toByteArray();
    }

    /** Removes {@code key}; answered by {@link KvResult.Previous}. */
    public static byte[] delete(String key) {
        KvOperation.Delete delete = KvOperation.Delete.newBuilder().setKey(requireKey(key)).build();
        return KvOperation.newBuilder().setDelete(delete).build().toByteArray();
    }

    /**
     * Writes {@code newValue} if {@code key} holds {@code expectedOrNull}, or does not exist when
     * it is null; answered by {@link KvResult.CasOutcome}.
     */
    public static byte[] cas(String key, String expectedOrNull, String newValue) {
        KvOperation.CompareAndSet.Builder cas = KvOperation.CompareAndSet.newBuilder()
                .setKey(requireKey(key))
                .setNewValue(Objects.requireNonNull(newValue, "newValue"));
        if (expectedOrNull != null) {
            cas.setExpected(expectedOrNull);
        }
        return KvOperation.newBuilder().setCas(cas).build().toByteArray();
    }

    /** Encodes a transaction; answered by {@link KvResult.TransactionOutcome}. */
    public static byte[] transaction(Transaction transaction) {
        KvOperation.Transaction.Builder tx = KvOperation.Transaction.newBuilder();
        for (Transaction.Condition condition : transaction.conditions()) {
            KvOperation.Condition.Builder encoded = KvOperation.Condition.newBuilder().setKey(condition.key());
            condition.expected().ifPresent(encoded::setExpected);
            tx.addConditions(encoded);
        }
        for (Transaction.Write write : transaction.writes()) {
            KvOperation.Write.Builder encoded = KvOperation.Write.newBuilder().setKey(write.key());
            write.value().ifPresent(encoded::setValue);
            tx.addWrites(encoded);
        }
        tx.addAllReads(transaction.reads());
        return KvOperation.newBuilder().setTransaction(tx).build().toByteArray();
    }

    private static String requireKey(String key) {
        return Objects.requireNonNull(key, "key");
    }
}
