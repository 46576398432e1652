package io.pbft.statemachine.kv;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A decoded answer of {@link KeyValueStateMachine}: one record per kind of operation, plus
 * {@link Invalid} for an operation the store rejected or result bytes that do not parse.
 *
 * <p>Decode with {@link #decode}, then either switch with {@code instanceof} or, when the kind
 * is known from the operation sent, use {@link #asValue()}, {@link #asPrevious()}, {@link
 * #asCas()} or {@link #asTransaction()}:
 *
 * <pre>{@code
 * Optional<String> balance = KvResult.decode(client.invoke(KvOps.get("balance"))).asValue().value();
 * }</pre>
 *
 * <p>The wire form is the protobuf message {@code pbft.kv.KvResult}, generated as {@link
 * io.pbft.statemachine.kv.proto.KvResult}; this type is its ergonomic Java face.
 */
public sealed interface KvResult {

    /** Answer to a get: the current value, or empty if the key does not exist. */
    record Value(Optional<String> value) implements KvResult {
        public Value {
            Objects.requireNonNull(value, "value");
        }
    }

    /** Answer to a put or delete: the value the key held before, or empty. */
    record Previous(Optional<String> previous) implements KvResult {
        public Previous {
            Objects.requireNonNull(previous, "previous");
        }
    }

    /**
     * Answer to a compare-and-set.
     *
     * @param success whether the new value was written
     * @param current what the key holds now: the new value on success, the unchanged value (or
     *     empty if the key does not exist) on a mismatch
     */
    record CasOutcome(boolean success, Optional<String> current) implements KvResult {
        public CasOutcome {
            Objects.requireNonNull(current, "current");
        }
    }

    /**
     * Answer to a transaction.
     *
     * @param committed whether every condition held and the writes were applied
     * @param reads the value of each requested key after the transaction (empty if absent), in
     *     the order requested
     */
    record TransactionOutcome(boolean committed, Map<String, Optional<String>> reads) implements KvResult {
        public TransactionOutcome {
            reads = Collections.unmodifiableMap(new LinkedHashMap<>(reads));
        }

        /**
         * The value read for {@code key} after the transaction.
         *
         * @throws IllegalArgumentException if the transaction did not read {@code key}
         */
        public Optional<String> read(String key) {
            Optional<String> value = reads.get(key);
            if (value == null) {
                throw new IllegalArgumentException("the transaction did not read key " + key);
            }
            return value;
        }
    }

    /** The store rejected the operation (malformed, empty, or a write sent as a query), or the result bytes are garbage. */
    record Invalid(String reason) implements KvResult {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Reason given by {@link #decode} for bytes that are not a {@code KvResult}. */
    String MALFORMED_RESULT = "malformed result: not a KvResult";

    /** Decodes result bytes; never throws: garbage (including null) gives an {@link Invalid}. */
    static KvResult decode(byte[] result) {
        if (result == null) {
            return new Invalid(MALFORMED_RESULT);
        }
        try {
            return KvResultDecoder.fromProto(io.pbft.statemachine.kv.proto.KvResult.parseFrom(result));
        } catch (InvalidProtocolBufferException e) {
            return new Invalid(MALFORMED_RESULT);
        }
    }

    default boolean isInvalid() {
        return this instanceof Invalid;
    }

    /** This result as a get's answer; throws {@link IllegalStateException} if it is another kind. */
    default Value asValue() {
        return as(Value.class);
    }

    /** This result as a put's or delete's answer; throws {@link IllegalStateException} otherwise. */
    default Previous asPrevious() {
        return as(Previous.class);
    }

    /** This result as a compare-and-set's answer; throws {@link IllegalStateException} otherwise. */
    default CasOutcome asCas() {
        return as(CasOutcome.class);
    }

    /** This result as a transaction's answer; throws {@link IllegalStateException} otherwise. */
    default TransactionOutcome asTransaction() {
        return as(TransactionOutcome.class);
    }

    private <T extends KvResult> T as(Class<T> kind) {
        if (kind.isInstance(this)) {
            return kind.cast(this);
        }
        throw new IllegalStateException("expected a " + kind.getSimpleName() + " result but got " + this);
    }
}
