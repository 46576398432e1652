package io.pbft.chaos.sim;

import io.pbft.core.Effects;

/**
 * One replica's clock against the simulation's: it runs {@code rate} times as fast, so replicas'
 * timers drift apart as unsynchronized machines' do. A core only ever sees its own clock; the
 * simulation converts the wake-ups it asks for back to simulated time.
 */
record SimClock(double rate) {

    static final SimClock EXACT = new SimClock(1.0);

    SimClock {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("a clock rate must be positive, was " + rate);
        }
    }

    /** This clock's reading at simulated time {@code simulatedMillis}. */
    long local(long simulatedMillis) {
        return rate == 1.0 ? simulatedMillis : (long) Math.floor(simulatedMillis * rate);
    }

    /** The earliest simulated time at which this clock reads at least {@code localMillis}. */
    long simulated(long localMillis) {
        if (rate == 1.0 || localMillis == Effects.NO_WAKEUP) {
            return localMillis;
        }
        long simulatedMillis = (long) Math.ceil(localMillis / rate);
        // Floating-point rounding may land a step off either way; a step or two puts it right.
        while (simulatedMillis > 0 && local(simulatedMillis - 1) >= localMillis) {
            simulatedMillis--;
        }
        while (local(simulatedMillis) < localMillis) {
            simulatedMillis++;
        }
        return simulatedMillis;
    }
}
