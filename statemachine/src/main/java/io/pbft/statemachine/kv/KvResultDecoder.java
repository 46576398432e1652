package io.pbft.statemachine.kv;

import io.pbft.statemachine.kv.proto.KvResult.Read;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Maps the generated protobuf result onto the {@link KvResult} records. */
final class KvResultDecoder {

    static final String EMPTY_RESULT = "malformed result: no result set";

    private KvResultDecoder() {}

    static KvResult fromProto(io.pbft.statemachine.kv.proto.KvResult proto) {
        switch (proto.getResultCase()) {
            case VALUE:
                var value = proto.getValue();
                return new KvResult.Value(value.hasValue() ? Optional.of(value.getValue()) : Optional.empty());
            case PREVIOUS:
                var previous = proto.getPrevious();
                return new KvResult.Previous(
                        previous.hasPrevious() ? Optional.of(previous.getPrevious()) : Optional.empty());
            case CAS:
                var cas = proto.getCas();
                return new KvResult.CasOutcome(
                        cas.getSuccess(), cas.hasCurrent() ? Optional.of(cas.getCurrent()) : Optional.empty());
            case TRANSACTION:
                var tx = proto.getTransaction();
                Map<String, Optional<String>> reads = new LinkedHashMap<>();
                for (Read read : tx.getReadsList()) {
                    reads.put(read.getKey(), read.hasValue() ? Optional.of(read.getValue()) : Optional.empty());
                }
                return new KvResult.TransactionOutcome(tx.getCommitted(), reads);
            case INVALID:
                return new KvResult.Invalid(proto.getInvalid());
            case RESULT_NOT_SET:
            default:
                return new KvResult.Invalid(EMPTY_RESULT);
        }
    }
}
