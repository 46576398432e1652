package io.pbft.chaos.sim;

import com.google.protobuf.ByteString;
import io.pbft.statemachine.StateMachine;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.statemachine.kv.KvResult;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Key-value operations over a small key space, so that clients contend on the same keys: puts with
 * values unique in the run, gets, compare-and-sets that expect the value the client last saw, and
 * deletes. The simulator's default workload.
 */
public final class KvWorkload implements Workload {

    static final int KEY_COUNT = 4;
    private static final int PUT_PERCENT = 35;
    private static final int GET_PERCENT = 30;
    private static final int CAS_PERCENT = 20;

    private final Supplier<? extends StateMachine> service;

    /** Against {@link KeyValueStateMachine}. */
    public KvWorkload() {
        this(KeyValueStateMachine::new);
    }

    /**
     * Against {@code service}, which is sent key-value operations whatever it is: a variant of the
     * store (another storage, a deliberately broken copy), or a service a test wants to see answer
     * operations it does not know.
     */
    public KvWorkload(Supplier<? extends StateMachine> service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    @Override
    public StateMachine newService() {
        return service.get();
    }

    @Override
    public ClientOperations client(long clientId) {
        return new KvClientOperations(clientId);
    }

    private static final class KvClientOperations implements ClientOperations {

        private final long clientId;
        /** Per key, the value this client last saw there; absent when it saw none or saw it deleted. */
        private final Map<String, String> lastSeen = new TreeMap<>();
        /** The key of the last operation handed out, and the value it puts (null unless a put). */
        private String lastKey;
        private String lastPutValue;

        KvClientOperations(long clientId) {
            this.clientId = clientId;
        }

        @Override
        public Operation next(Random random, long timestamp) {
            int roll = random.nextInt(100);
            String key = "k" + random.nextInt(KEY_COUNT);
            String value = "c" + clientId + "-t" + timestamp;
            lastKey = key;
            lastPutValue = null;
            if (roll < PUT_PERCENT) {
                lastPutValue = value;
                return operation("put " + key + "=" + value, KvOps.put(key, value));
            }
            if (roll < PUT_PERCENT + GET_PERCENT) {
                // The store answers a get in query: the client may send it read-only.
                return new Operation("get " + key, ByteString.copyFrom(KvOps.get(key)), true);
            }
            if (roll < PUT_PERCENT + GET_PERCENT + CAS_PERCENT) {
                String expected = lastSeen.get(key);
                return operation("cas " + key + " " + (expected == null ? "<absent>" : expected) + "->" + value,
                        KvOps.cas(key, expected, value));
            }
            return operation("delete " + key, KvOps.delete(key));
        }

        /** Learns from the accepted result of the last operation what its key holds now. */
        @Override
        public void onResult(Operation operation, ByteString result) {
            KvResult decoded = KvResult.decode(result.toByteArray());
            if (decoded instanceof KvResult.Value value) {
                remember(lastKey, value.value().orElse(null));
            } else if (decoded instanceof KvResult.CasOutcome cas) {
                remember(lastKey, cas.current().orElse(null));
            } else if (decoded instanceof KvResult.Previous) {
                remember(lastKey, lastPutValue); // a put wrote its value; a delete left nothing
            }
        }

        private void remember(String key, String valueOrNull) {
            if (valueOrNull == null) {
                lastSeen.remove(key);
            } else {
                lastSeen.put(key, valueOrNull);
            }
        }

        private static Operation operation(String description, byte[] bytes) {
            return new Operation(description, ByteString.copyFrom(bytes));
        }
    }
}
