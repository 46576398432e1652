/**
 * The deterministic simulator: every replica (the real protocol core, its own copy of the service,
 * the shared {@link io.pbft.execution.StateMachineExecutor}) and every client of a cluster run in
 * one thread, on a simulated clock, over a {@link io.pbft.chaos.sim.SimNetwork simulated network}
 * that loses, delays, duplicates and reorders messages. One {@link java.util.Random} seeded from
 * {@link io.pbft.chaos.sim.SimulationConfig} is the only source of randomness, and events at the
 * same instant run in the order they were scheduled, so a run repeats exactly from its seed.
 *
 * <p>Start with {@link io.pbft.chaos.sim.Simulation#run(SimulationConfig)}; the
 * {@link io.pbft.chaos.sim.SimulationResult} says what failed and how to replay it.
 *
 * <p>May not hold: threads, sockets, wall-clock time, any randomness other than the run's own
 * {@code Random}, iteration over unordered collections, or changes to the core made for testing.
 */
package io.pbft.chaos.sim;
