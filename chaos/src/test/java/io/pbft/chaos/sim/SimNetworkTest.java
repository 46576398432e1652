package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.pbft.chaos.sim.NetworkConfig.DelayDistribution;
import io.pbft.chaos.sim.SimEvent.ReplicaFrameDelivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SimNetworkTest {

    /** The network never looks inside a frame. */
    private static final byte[] FRAME = {1, 2, 3};
    private static final int MESSAGES = 2_000;

    private final EventQueue events = new EventQueue();

    private List<EventQueue.Scheduled> sendAll(NetworkConfig config) {
        SimNetwork network = new SimNetwork(config, new Random(7), events);
        for (int i = 0; i < MESSAGES; i++) {
            network.sendToReplica(1, 2, FRAME);
        }
        List<EventQueue.Scheduled> delivered = new ArrayList<>();
        while (!events.isEmpty()) {
            delivered.add(events.poll());
        }
        return delivered;
    }

    @Test
    void aReliableNetworkDeliversEverythingOnceWithinTheDelayBounds() {
        List<EventQueue.Scheduled> delivered =
                sendAll(NetworkConfig.DEFAULT.withDelay(5, 9, DelayDistribution.UNIFORM));

        assertThat(delivered).hasSize(MESSAGES)
                .allSatisfy(d -> assertThat(d.atMillis()).isBetween(5L, 9L))
                .allSatisfy(d -> assertThat(d.event()).isEqualTo(new ReplicaFrameDelivery(2, 1, FRAME)));
        assertThat(delivered).extracting(EventQueue.Scheduled::atMillis).contains(5L, 9L);
    }

    @Test
    void exponentialDelaysStayWithinBoundsAndCrowdTheMinimum() {
        List<EventQueue.Scheduled> delivered =
                sendAll(NetworkConfig.DEFAULT.withDelay(2, 42, DelayDistribution.EXPONENTIAL));

        assertThat(delivered).allSatisfy(d -> assertThat(d.atMillis()).isBetween(2L, 42L));
        long belowMiddle = delivered.stream().filter(d -> d.atMillis() < 22).count();
        assertThat(belowMiddle).isGreaterThan(MESSAGES * 3 / 4);
    }

    @Test
    void lossAndDuplicationHappenAtRoughlyTheirRatesAndAreCounted() {
        SimNetwork network = new SimNetwork(NetworkConfig.DEFAULT.withLoss(0.2).withDuplication(0.3), new Random(7),
                events);
        for (int i = 0; i < MESSAGES; i++) {
            network.sendToReplica(1, 2, FRAME);
        }

        NetworkStats stats = network.stats();
        assertThat(stats.sent()).isEqualTo(MESSAGES);
        assertThat(stats.dropped()).isBetween(300L, 500L);
        assertThat(stats.duplicated()).isBetween(380L, 580L);
        assertThat((long) events.size()).isEqualTo(MESSAGES - stats.dropped() + stats.duplicated());
    }

    @Test
    void totalLossDeliversNothing() {
        assertThat(sendAll(NetworkConfig.DEFAULT.withLoss(1.0))).isEmpty();
    }

    @Test
    void reorderingHoldsMessagesBackBeyondTheMaximumDelay() {
        List<EventQueue.Scheduled> delivered = sendAll(NetworkConfig.DEFAULT.withReordering(0.5));

        assertThat(delivered).anySatisfy(d -> assertThat(d.atMillis()).isGreaterThan(20L));
        assertThat(delivered).anySatisfy(d -> assertThat(d.atMillis()).isLessThanOrEqualTo(20L));
    }

    @Test
    void eventsAtTheSameTimeRunInTheOrderTheyWereScheduled() {
        for (int i = 0; i < 5; i++) {
            events.at(10, new SimEvent.ReplicaWake(i));
        }
        events.at(3, new SimEvent.ReplicaWake(9));

        List<Integer> order = new ArrayList<>();
        while (!events.isEmpty()) {
            order.add(events.poll().event().target());
        }

        assertThat(order).containsExactly(9, 0, 1, 2, 3, 4);
        assertThat(events.nowMillis()).isEqualTo(10);
    }

    @Test
    void anEventScheduledInThePastRunsNow() {
        events.at(10, new SimEvent.ReplicaWake(0));
        events.poll();
        events.at(4, new SimEvent.ReplicaWake(1));

        assertThat(events.poll().atMillis()).isEqualTo(10);
    }

    @Test
    void badProbabilitiesAndDelaysAreRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> NetworkConfig.DEFAULT.withLoss(1.5)).withMessageContaining("lossProbability");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> NetworkConfig.DEFAULT.withDelay(10, 5, DelayDistribution.UNIFORM))
                .withMessageContaining("min");
    }

    @Test
    void aCutReplicaNeitherSendsNorReceivesWhileItLasts() {
        NetworkConfig config = NetworkConfig.DEFAULT.withDelay(5, 5, DelayDistribution.UNIFORM)
                .withCut(new NetworkConfig.Cut(2, 100, 200));
        SimNetwork network = new SimNetwork(config, new Random(7), events);
        List<SimEvent> delivered = new ArrayList<>();
        network.sendToReplica(1, 2, FRAME); // arrives at 5, before the cut
        runUntil(96, delivered);
        network.sendToReplica(1, 2, FRAME); // would arrive at 101, during the cut
        network.sendToReplica(2, 1, FRAME); // sent at 96, before the cut: arrives
        runUntil(150, delivered);
        network.sendToReplica(2, 1, FRAME); // sent during the cut
        network.sendToReplica(1, 3, FRAME); // others are unaffected
        runUntil(1_000, delivered);

        assertThat(delivered).containsExactly(new ReplicaFrameDelivery(2, 1, FRAME),
                new ReplicaFrameDelivery(1, 2, FRAME), new ReplicaFrameDelivery(3, 1, FRAME));
        assertThat(network.stats().dropped()).isEqualTo(2);
    }

    /** Runs the queue up to {@code millis}, collecting deliveries (a wake-up marks the time). */
    private void runUntil(long millis, List<SimEvent> delivered) {
        events.at(millis, new SimEvent.ReplicaWake(0));
        while (true) {
            SimEvent event = events.poll().event();
            if (event instanceof SimEvent.ReplicaWake) {
                return;
            }
            delivered.add(event);
        }
    }

    @Test
    void cutsParseFromTheirCommandLineForm() {
        assertThat(NetworkConfig.Cut.parse("3@500-4000")).isEqualTo(new NetworkConfig.Cut(3, 500, 4000));
        assertThat(NetworkConfig.Cut.parse("3@500-4000").toString()).isEqualTo("3@500-4000");
        assertThatIllegalArgumentException().isThrownBy(() -> NetworkConfig.Cut.parse("3-500"))
                .withMessageContaining("R@FROM-UNTIL");
        assertThatIllegalArgumentException().isThrownBy(() -> NetworkConfig.Cut.parse("3@900-500"))
                .withMessageContaining("from <= until");
    }
}
