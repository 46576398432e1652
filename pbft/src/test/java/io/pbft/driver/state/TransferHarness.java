package io.pbft.driver.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.message.FetchState;
import io.pbft.core.message.StateChunk;
import io.pbft.driver.state.StateFetcher.Outgoing;
import io.pbft.driver.state.TransferFixtures.Checkpoint;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * A fetcher at replica 0 wired to a {@link StateServer} at each other replica, in one thread with
 * simulated time: requests and answers travel through an in-memory network, delivered in order or
 * in a seeded random order, each answer after its server's delay. When nothing can be delivered,
 * time jumps to the next delivery or request deadline and the fetcher ticks.
 *
 * <p>After every step it checks that every partition of the local store holds either its content
 * from before the fetch or its content at a checkpoint fetched: never anything unverified.
 */
final class TransferHarness {

    static final int REPLICAS = 4;
    static final int SELF = 0;

    final KeyValueStateMachine local;
    final StateFetcher fetcher;
    final TreeMap<Integer, StateServer> servers = new TreeMap<>();
    /** Every request the fetcher sent, in order. */
    final List<Outgoing> sent = new ArrayList<>();
    /** The most requests the fetcher sent in answer to one input. */
    int mostSentAtOnce;
    long nowMillis = 1_000;

    private final TreeMap<Integer, Behaviour> behaviours = new TreeMap<>();
    private final TreeMap<Integer, Long> delaysMillis = new TreeMap<>();
    private final Random order;
    private final List<Delivery> network = new ArrayList<>();
    private final List<byte[]> initialDigests = new ArrayList<>();
    private final List<Checkpoint> targets = new ArrayList<>();

    /** A message in flight; {@code message} is a request to a server or an answer to the fetcher. */
    private record Delivery(int from, int to, Object message, long atMillis) {}

    /** @param order delivery order, or null for first in, first out */
    TransferHarness(KeyValueStateMachine local, StateTransferLimits limits, Random order) {
        this.local = local;
        this.order = order;
        this.fetcher = new StateFetcher(SELF, REPLICAS, local, TransferFixtures.DIGESTS, limits);
        for (int replica = 1; replica < REPLICAS; replica++) {
            servers.put(replica, new StateServer(replica, TransferFixtures.DIGESTS, limits));
            behaviours.put(replica, Behaviour.HONEST);
            delaysMillis.put(replica, 0L);
        }
        for (int p = 0; p < local.partitionCount(); p++) {
            initialDigests.add(local.partitionDigest(p));
        }
    }

    /** Every server keeps {@code checkpoints}. */
    TransferHarness serving(Checkpoint... checkpoints) {
        for (StateServer server : servers.values()) {
            for (Checkpoint checkpoint : checkpoints) {
                server.keep(checkpoint.served());
            }
        }
        return this;
    }

    TransferHarness behave(int replica, Behaviour behaviour) {
        behaviours.put(replica, behaviour);
        return this;
    }

    TransferHarness delay(int replica, long millis) {
        delaysMillis.put(replica, millis);
        return this;
    }

    void start(Checkpoint target) {
        targets.add(target);
        send(fetcher.start(target.sequence(), target.digest(), nowMillis));
    }

    void retarget(Checkpoint target) {
        targets.add(target);
        send(fetcher.retarget(target.sequence(), target.digest(), nowMillis));
    }

    /** Steps until the fetch completes or {@code maxSteps} pass; whether it completed. */
    boolean run(int maxSteps) {
        for (int step = 0; step < maxSteps && fetcher.completed().isEmpty(); step++) {
            step();
        }
        return fetcher.completed().isPresent();
    }

    /** Delivers one message that is due, or lets time pass to the next event and ticks. */
    void step() {
        List<Delivery> due = network.stream().filter(d -> d.atMillis() <= nowMillis).toList();
        if (due.isEmpty()) {
            long nextDelivery = network.stream().mapToLong(Delivery::atMillis).min().orElse(Long.MAX_VALUE);
            long nextDeadline = fetcher.nextDeadlineMillis().orElse(Long.MAX_VALUE);
            nowMillis = Math.max(nowMillis, Math.min(nextDelivery, nextDeadline));
            send(fetcher.onTick(nowMillis));
        } else {
            Delivery delivery = order == null ? due.get(0) : due.get(order.nextInt(due.size()));
            network.remove(delivery);
            deliver(delivery);
        }
        checkNothingUnverifiedCommitted();
    }

    /** Delivers every request now in flight to its server, leaving the answers in flight. */
    void deliverRequests() {
        for (Delivery delivery : List.copyOf(network)) {
            if (delivery.message() instanceof FetchState) {
                network.remove(delivery);
                deliver(delivery);
            }
        }
    }

    /** The requests sent so far for partition content (not the client table), by partition. */
    TreeMap<Integer, Integer> partitionRequests() {
        TreeMap<Integer, Integer> requests = new TreeMap<>();
        for (Outgoing outgoing : sent) {
            if (outgoing.message().part() instanceof FetchState.Partition p && p.index() >= 0) {
                requests.merge(p.index(), 1, Integer::sum);
            }
        }
        return requests;
    }

    private void deliver(Delivery delivery) {
        if (delivery.message() instanceof FetchState fetch) {
            Optional<StateChunk> honest = servers.get(delivery.to()).onFetch(delivery.from(), fetch);
            behaviours.get(delivery.to()).answer(fetch, honest).ifPresent(answer -> network.add(
                    new Delivery(delivery.to(), delivery.from(), answer, nowMillis + delaysMillis.get(delivery.to()))));
        } else {
            send(fetcher.onChunk(delivery.from(), (StateChunk) delivery.message(), nowMillis));
        }
    }

    private void send(List<Outgoing> outgoing) {
        mostSentAtOnce = Math.max(mostSentAtOnce, outgoing.size());
        for (Outgoing request : outgoing) {
            assertThat(request.to()).as("a request to a peer").isBetween(1, REPLICAS - 1);
            assertThat(request.message().replica()).isEqualTo(SELF);
            sent.add(request);
            network.add(new Delivery(SELF, request.to(), request.message(), nowMillis));
        }
    }

    private void checkNothingUnverifiedCommitted() {
        for (int p = 0; p < local.partitionCount(); p++) {
            byte[] digest = local.partitionDigest(p);
            boolean verified = Arrays.equals(digest, initialDigests.get(p));
            for (Checkpoint target : targets) {
                verified |= Arrays.equals(digest, target.partitionDigest(p));
            }
            assertThat(verified).as("partition %d holds content verified against no checkpoint", p).isTrue();
        }
    }
}
