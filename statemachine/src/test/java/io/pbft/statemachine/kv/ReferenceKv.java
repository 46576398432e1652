package io.pbft.statemachine.kv;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An independent, obviously-correct model of the key-value semantics, written from the spec
 * rather than from the store, to check the store's answers against.
 */
final class ReferenceKv {

    private final Map<String, String> entries = new HashMap<>();

    KvResult expect(KvOpGen.Op op) {
        if (op instanceof KvOpGen.Get get) {
            return new KvResult.Value(Optional.ofNullable(entries.get(get.key())));
        }
        if (op instanceof KvOpGen.Put put) {
            return new KvResult.Previous(Optional.ofNullable(entries.put(put.key(), put.value())));
        }
        if (op instanceof KvOpGen.Delete delete) {
            return new KvResult.Previous(Optional.ofNullable(entries.remove(delete.key())));
        }
        if (op instanceof KvOpGen.Cas cas) {
            String current = entries.get(cas.key());
            if (Objects.equals(current, cas.expectedOrNull())) {
                entries.put(cas.key(), cas.newValue());
                return new KvResult.CasOutcome(true, Optional.of(cas.newValue()));
            }
            return new KvResult.CasOutcome(false, Optional.ofNullable(current));
        }
        if (op instanceof KvOpGen.Tx tx) {
            return transaction(tx.transaction());
        }
        throw new IllegalArgumentException("the model does not predict " + op);
    }

    Map<String, String> entries() {
        return Map.copyOf(entries);
    }

    private KvResult transaction(Transaction tx) {
        boolean committed = tx.conditions().stream()
                .allMatch(c -> Objects.equals(entries.get(c.key()), c.expected().orElse(null)));
        if (committed) {
            for (Transaction.Write write : tx.writes()) {
                if (write.isDelete()) {
                    entries.remove(write.key());
                } else {
                    entries.put(write.key(), write.value().orElseThrow());
                }
            }
        }
        Map<String, Optional<String>> reads = new LinkedHashMap<>();
        for (String key : tx.reads()) {
            reads.put(key, Optional.ofNullable(entries.get(key)));
        }
        return new KvResult.TransactionOutcome(committed, reads);
    }
}
