package io.pbft.chaos.sim;

import io.pbft.chaos.sim.SimEvent.ReplicaWake;
import io.pbft.core.Effects;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Time as each replica's process sees it: its own clock, which may drift against the others' and
 * is kept across its restarts (the machine's, not the process's); its wake-ups, asked for on that
 * clock and queued in simulated time; and its pauses, during which nothing reaches it.
 */
final class ReplicaTime {

    private final SimClock[] clocks;
    private final List<Pause> pauses;
    private final EventQueue events;

    ReplicaTime(SimulationConfig config, EventQueue events) {
        this.clocks = clocks(config);
        this.pauses = config.pauses();
        this.events = events;
    }

    /**
     * Exact clocks, or with drift, rates drawn from a source of their own: the run's random stream,
     * and so every run without drift, stays as it was.
     */
    private static SimClock[] clocks(SimulationConfig config) {
        SimClock[] clocks = new SimClock[config.replicaCount()];
        Random rates = new Random(config.seed() * 0x9E3779B97F4A7C15L + 0x5EED);
        for (int id = 0; id < clocks.length; id++) {
            clocks[id] = config.clockDrift() == 0 ? SimClock.EXACT
                    : new SimClock(1 + config.clockDrift() * (2 * rates.nextDouble() - 1));
        }
        return clocks;
    }

    /** What replica {@code id}'s clock reads at simulated time {@code nowMillis}. */
    long local(int id, long nowMillis) {
        return clocks[id].local(nowMillis);
    }

    /** Queues a wake-up for {@code replica} when its own clock reads {@code localWakeMillis}, if that is its earliest. */
    void wakeAtLocal(SimReplica replica, long localWakeMillis) {
        wakeAt(replica, clocks[replica.id].simulated(localWakeMillis));
    }

    private void wakeAt(SimReplica replica, long wakeAt) {
        if (wakeAt != Effects.NO_WAKEUP && wakeAt < replica.pendingWakeMillis) {
            replica.pendingWakeMillis = Math.max(wakeAt, events.nowMillis());
            events.at(replica.pendingWakeMillis, new ReplicaWake(replica.address));
        }
    }

    /**
     * An event for a paused replica waits, in order, until it resumes; a wake-up due meanwhile
     * fires once, when it resumes (its timers did not run while it was stopped).
     *
     * @param instances the process at each address, for a wake-up to move
     */
    boolean deferredByPause(SimEvent event, long now, IntFunction<SimReplica> instances) {
        int id = event.target();
        for (Pause pause : pauses) {
            if (pause.holds(id, now)) {
                if (event instanceof ReplicaWake) {
                    SimReplica replica = instances.apply(id);
                    if (replica.pendingWakeMillis == now) {
                        replica.pendingWakeMillis = SimReplica.NO_WAKE;
                        wakeAt(replica, pause.untilMillis());
                    }
                } else {
                    events.at(pause.untilMillis(), event);
                }
                return true;
            }
        }
        return false;
    }
}
