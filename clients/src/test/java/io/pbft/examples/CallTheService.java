package io.pbft.examples;

import io.pbft.client.KvClient;
import io.pbft.client.PbftClient;
import io.pbft.config.ClusterConfig;
import io.pbft.statemachine.counter.CounterStateMachine;
import java.util.Optional;
import java.util.OptionalLong;

/** Clients of a cluster: of any service in bytes, and of the key-value store with its typed client. */
public final class CallTheService {

    /** Adds one to the counter of {@code RunAReplica} and returns its new value. */
    static OptionalLong callYourService(ClusterConfig config) throws Exception {
        byte[] operationBytes = CounterStateMachine.increment(1); // your service's operation here
        try (PbftClient client = PbftClient.builder().cluster(config).timeoutMillis(10_000).build()) {
            byte[] result = client.invoke(operationBytes).get(); // accepted on 2f + 1 matching replies
            return CounterStateMachine.valueOf(result);
        }
    }

    /** Against replicas of the key-value store (what {@code scripts/pbft replica} runs by default). */
    static boolean callTheKeyValueStore(ClusterConfig config) throws Exception {
        try (KvClient kv = new KvClient(PbftClient.builder().cluster(config).build())) {
            Optional<String> previous = kv.put("greeting", "hello").get(); // the value it replaced, if any
            boolean swapped = kv.cas("greeting", "hello", "bonjour").get().success();
            return previous.isEmpty() && swapped;
        }
    }
}
