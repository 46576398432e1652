package io.pbft.statemachine.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A multi-key transaction of the key-value store: conditions, writes and reads, applied
 * all-or-nothing.
 *
 * <p>If every condition holds against the state before the transaction, all writes are applied
 * in order (a later write to the same key wins); otherwise nothing changes. Either way the reads
 * answer the values of their keys after the transaction. A transaction without writes may be
 * sent as a read-only query.
 *
 * <pre>{@code
 * byte[] op = KvOps.transaction(Transaction.builder()
 *         .require("from", "10")        // "from" must hold "10"
 *         .require("lock", null)        // "lock" must not exist
 *         .put("from", "7")
 *         .put("to", "3")
 *         .delete("pending")
 *         .read("from")
 *         .build());
 * }</pre>
 *
 * @param conditions checked before any write
 * @param writes applied in order if every condition holds
 * @param reads keys whose values are answered after the transaction
 */
public record Transaction(List<Condition> conditions, List<Write> writes, List<String> reads) {

    /** The key must hold {@code expected}, or must not exist when {@code expected} is empty. */
    public record Condition(String key, Optional<String> expected) {
        public Condition {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(expected, "expected");
        }
    }

    /** Puts {@code value} under {@code key}, or deletes the key when {@code value} is empty. */
    public record Write(String key, Optional<String> value) {
        public Write {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        public boolean isDelete() {
            return value.isEmpty();
        }
    }

    public Transaction {
        conditions = List.copyOf(conditions);
        writes = List.copyOf(writes);
        reads = List.copyOf(reads);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the transaction only reads, so that it may be sent as a read-only query. */
    public boolean isReadOnly() {
        return writes.isEmpty();
    }

    /** Collects conditions, writes and reads in call order. Not thread-safe; reusable after build. */
    public static final class Builder {
        private final List<Condition> conditions = new ArrayList<>();
        private final List<Write> writes = new ArrayList<>();
        private final List<String> reads = new ArrayList<>();

        private Builder() {}

        /** Requires {@code key} to hold {@code expectedOrNull}, or not to exist when it is null. */
        public Builder require(String key, String expectedOrNull) {
            conditions.add(new Condition(key, Optional.ofNullable(expectedOrNull)));
            return this;
        }

        public Builder put(String key, String value) {
            writes.add(new Write(key, Optional.of(Objects.requireNonNull(value, "value"))));
            return this;
        }

        public Builder delete(String key) {
            writes.add(new Write(key, Optional.empty()));
            return this;
        }

        /** Asks for the value of {@code key} after the transaction. */
        public Builder read(String key) {
            reads.add(Objects.requireNonNull(key, "key"));
            return this;
        }

        public Transaction build() {
            return new Transaction(conditions, writes, reads);
        }
    }
}
