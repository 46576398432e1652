package io.pbft.chaos.sim;

import com.google.protobuf.ByteString;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.statemachine.kv.KvResult;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * One client's stream of key-value operations over a small key space, so that clients contend on
 * the same keys: puts with values unique in the run, gets, compare-and-sets that expect the value
 * this client last saw, and deletes.
 */
final class KvWorkload {

    static final int KEY_COUNT = 4;
    private static final int PUT_PERCENT = 35;
    private static final int GET_PERCENT = 30;
    private static final int CAS_PERCENT = 20;

    /**
     * An operation, how to describe it in a history, the key it touches and, for a put, the value
     * it writes (else null).
     */
    record Operation(String description, ByteString bytes, String key, String putValue) {

        /** A get: the store answers it in {@code query}, so a client may send it read-only. */
        boolean readOnly() {
            return description.startsWith(GET);
        }
    }

    private static final String GET = "get ";

    private final long clientId;
    /** Per key, the value this client last saw there; absent when it saw none or saw it deleted. */
    private final Map<String, String> lastSeen = new TreeMap<>();

    KvWorkload(long clientId) {
        this.clientId = clientId;
    }

    Operation next(Random random, long timestamp) {
        int roll = random.nextInt(100);
        String key = "k" + random.nextInt(KEY_COUNT);
        String value = "c" + clientId + "-t" + timestamp;
        if (roll < PUT_PERCENT) {
            return new Operation("put " + key + "=" + value, bytes(KvOps.put(key, value)), key, value);
        }
        if (roll < PUT_PERCENT + GET_PERCENT) {
            return new Operation(GET + key, bytes(KvOps.get(key)), key, null);
        }
        if (roll < PUT_PERCENT + GET_PERCENT + CAS_PERCENT) {
            String expected = lastSeen.get(key);
            return new Operation("cas " + key + " " + (expected == null ? "<absent>" : expected) + "->" + value,
                    bytes(KvOps.cas(key, expected, value)), key, null);
        }
        return new Operation("delete " + key, bytes(KvOps.delete(key)), key, null);
    }

    /** Learns from the accepted result of an operation what its key holds now. */
    void onResult(Operation operation, ByteString result) {
        KvResult decoded = KvResult.decode(result.toByteArray());
        String key = operation.key();
        if (decoded instanceof KvResult.Value value) {
            remember(key, value.value().orElse(null));
        } else if (decoded instanceof KvResult.CasOutcome cas) {
            remember(key, cas.current().orElse(null));
        } else if (decoded instanceof KvResult.Previous) {
            remember(key, operation.putValue()); // a put wrote its value; a delete left nothing
        }
    }

    private void remember(String key, String valueOrNull) {
        if (valueOrNull == null) {
            lastSeen.remove(key);
        } else {
            lastSeen.put(key, valueOrNull);
        }
    }

    private static ByteString bytes(byte[] operation) {
        return ByteString.copyFrom(operation);
    }
}
