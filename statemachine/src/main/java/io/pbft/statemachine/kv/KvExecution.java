package io.pbft.statemachine.kv;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pbft.statemachine.kv.proto.KvOperation;
import io.pbft.statemachine.kv.proto.KvResult;
import java.util.Objects;

/**
 * What each key-value operation does to the entries and answers (the semantics are documented on
 * {@link KeyValueStateMachine}). Shared by every store, so that stores holding equal entries give
 * byte-identical results, as replicas must.
 */
final class KvExecution {

    // Fixed texts: results are compared byte-for-byte, so never embed a parser's exception message.
    static final String MALFORMED_OPERATION = "malformed operation: not a KvOperation";
    static final String EMPTY_OPERATION = "malformed operation: no operation set";
    static final String WRITE_IN_QUERY = "read-only query cannot run put, delete, cas or a transaction with writes";

    private KvExecution() {}

    /** Runs {@code operation} against {@code entries}; malformed bytes give an invalid result and no write. */
    static byte[] execute(KvEntries entries, byte[] operation) {
        KvOperation op = parse(operation);
        if (op == null) {
            return invalid(MALFORMED_OPERATION);
        }
        return apply(entries, op, true).toByteArray();
    }

    /** Answers {@code operation} without writing: an operation that would write gets an invalid result. */
    static byte[] query(KvEntries entries, byte[] operation) {
        KvOperation op = parse(operation);
        if (op == null) {
            return invalid(MALFORMED_OPERATION);
        }
        return apply(entries, op, false).toByteArray();
    }

    private static KvOperation parse(byte[] operation) {
        if (operation == null) {
            return null;
        }
        try {
            return KvOperation.parseFrom(operation);
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    private static KvResult apply(KvEntries entries, KvOperation op, boolean writesAllowed) {
        switch (op.getOpCase()) {
            case GET:
                return valueResult(entries.get(op.getGet().getKey()));
            case PUT:
                return writesAllowed ? put(entries, op.getPut()) : invalidResult(WRITE_IN_QUERY);
            case DELETE:
                return writesAllowed ? delete(entries, op.getDelete()) : invalidResult(WRITE_IN_QUERY);
            case CAS:
                return writesAllowed ? compareAndSet(entries, op.getCas()) : invalidResult(WRITE_IN_QUERY);
            case TRANSACTION:
                KvOperation.Transaction tx = op.getTransaction();
                if (!writesAllowed && tx.getWritesCount() > 0) {
                    return invalidResult(WRITE_IN_QUERY);
                }
                return transaction(entries, tx);
            case OP_NOT_SET:
            default:
                return invalidResult(EMPTY_OPERATION);
        }
    }

    private static KvResult put(KvEntries entries, KvOperation.Put put) {
        String previous = entries.write(put.getKey(), put.getValue());
        return previousResult(previous);
    }

    private static KvResult delete(KvEntries entries, KvOperation.Delete delete) {
        String previous = entries.write(delete.getKey(), null);
        return previousResult(previous);
    }

    private static KvResult compareAndSet(KvEntries entries, KvOperation.CompareAndSet cas) {
        String current = entries.get(cas.getKey());
        String expected = cas.hasExpected() ? cas.getExpected() : null;
        KvResult.Cas.Builder answer = KvResult.Cas.newBuilder();
        if (Objects.equals(current, expected)) {
            entries.write(cas.getKey(), cas.getNewValue());
            answer.setSuccess(true).setCurrent(cas.getNewValue());
        } else if (current != null) {
            answer.setSuccess(false).setCurrent(current);
        }
        return KvResult.newBuilder().setCas(answer).build();
    }

    private static KvResult transaction(KvEntries entries, KvOperation.Transaction tx) {
        boolean committed = conditionsHold(entries, tx);
        if (committed) {
            for (KvOperation.Write write : tx.getWritesList()) {
                entries.write(write.getKey(), write.hasValue() ? write.getValue() : null);
            }
        }
        KvResult.TransactionOutcome.Builder outcome = KvResult.TransactionOutcome.newBuilder().setCommitted(committed);
        for (String key : tx.getReadsList()) {
            KvResult.Read.Builder read = KvResult.Read.newBuilder().setKey(key);
            String value = entries.get(key);
            if (value != null) {
                read.setValue(value);
            }
            outcome.addReads(read);
        }
        return KvResult.newBuilder().setTransaction(outcome).build();
    }

    private static boolean conditionsHold(KvEntries entries, KvOperation.Transaction tx) {
        for (KvOperation.Condition condition : tx.getConditionsList()) {
            String expected = condition.hasExpected() ? condition.getExpected() : null;
            if (!Objects.equals(entries.get(condition.getKey()), expected)) {
                return false;
            }
        }
        return true;
    }

    private static KvResult valueResult(String value) {
        KvResult.Value.Builder answer = KvResult.Value.newBuilder();
        if (value != null) {
            answer.setValue(value);
        }
        return KvResult.newBuilder().setValue(answer).build();
    }

    private static KvResult previousResult(String previous) {
        KvResult.Previous.Builder answer = KvResult.Previous.newBuilder();
        if (previous != null) {
            answer.setPrevious(previous);
        }
        return KvResult.newBuilder().setPrevious(answer).build();
    }

    private static KvResult invalidResult(String reason) {
        return KvResult.newBuilder().setInvalid(reason).build();
    }

    private static byte[] invalid(String reason) {
        return invalidResult(reason).toByteArray();
    }
}
