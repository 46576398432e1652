package io.pbft.chaos.sim;

import io.pbft.chaos.sim.SimEvent.ReplicaFrameDelivery;
import io.pbft.chaos.sim.SimEvent.ReplyDelivery;
import io.pbft.chaos.sim.SimEvent.RequestDelivery;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import java.util.Random;

/**
 * The simulated network: turns a send into zero, one or two future deliveries, as its
 * {@link NetworkConfig} and the run's random source decide. Between replicas it carries frames,
 * whose authenticity each receiver checks as a node does (with simulated keys); requests and
 * replies travel as values, their authenticity modelled (a simulated client is who it says).
 */
public final class SimNetwork {

    private static final int REORDER_HOLD_FACTOR = 4;
    private static final int NOT_A_REPLICA = -1;

    private final NetworkConfig config;
    private final Random random;
    private final EventQueue events;
    private long sent;
    private long dropped;
    private long duplicated;

    SimNetwork(NetworkConfig config, Random random, EventQueue events) {
        this.config = config;
        this.random = random;
        this.events = events;
    }

    void sendToReplica(int from, int to, byte[] frame) {
        transmit(from, to, new ReplicaFrameDelivery(to, from, frame));
    }

    void sendRequest(int toReplica, Request request) {
        transmit(NOT_A_REPLICA, toReplica, new RequestDelivery(toReplica, request));
    }

    void sendReply(int fromReplica, int toClient, Reply reply) {
        transmit(fromReplica, NOT_A_REPLICA, new ReplyDelivery(toClient, fromReplica, reply));
    }

    NetworkStats stats() {
        return new NetworkStats(sent, dropped, duplicated);
    }

    /** {@code fromReplica} and {@code toReplica} name replicas, or {@link #NOT_A_REPLICA} for a client. */
    private void transmit(int fromReplica, int toReplica, SimEvent delivery) {
        sent++;
        // Draw every decision in a fixed order so that a change of one probability does not
        // shift the random stream of unrelated decisions more than it must; cuts draw nothing.
        if (random.nextDouble() < config.lossProbability()) {
            dropped++;
            return;
        }
        boolean lostAtSend = config.isCutOff(fromReplica, events.nowMillis())
                || config.partitioned(fromReplica, toReplica, events.nowMillis());
        deliver(lostAtSend, fromReplica, toReplica, delayMillis(), delivery);
        if (random.nextDouble() < config.duplicateProbability()) {
            duplicated++;
            deliver(lostAtSend, fromReplica, toReplica, delayMillis(), delivery);
        }
    }

    private void deliver(boolean lostAtSend, int fromReplica, int toReplica, long delayMillis, SimEvent delivery) {
        long arrivalMillis = events.nowMillis() + delayMillis;
        if (lostAtSend || config.isCutOff(toReplica, arrivalMillis)
                || config.partitioned(fromReplica, toReplica, arrivalMillis)) {
            dropped++;
        } else {
            events.after(delayMillis, delivery);
        }
    }

    private long delayMillis() {
        long range = config.maxDelayMillis() - config.minDelayMillis();
        long delay = config.minDelayMillis();
        if (range > 0) {
            delay += switch (config.delayDistribution()) {
                case UNIFORM -> random.nextLong(range + 1);
                case EXPONENTIAL -> Math.min(range, Math.round(-Math.log(1 - random.nextDouble()) * range / 4.0));
            };
        }
        if (config.reorderProbability() > 0 && random.nextDouble() < config.reorderProbability()) {
            // Held back long enough that messages sent well after it arrive first.
            delay += config.maxDelayMillis() * (1 + random.nextInt(REORDER_HOLD_FACTOR));
        }
        return delay;
    }
}
