/**
 * Checkers of PBFT's safety and liveness properties over a recorded
 * {@link io.pbft.chaos.check.RunHistory}: agreement, total order, exactly-once and validity,
 * checkpoint agreement, linearizability of what clients saw, and liveness. Each returns
 * {@link io.pbft.chaos.check.Violation violations} in words a reader can act on;
 * {@link io.pbft.chaos.check.SafetyMonitor} runs the cheap ones after every simulation step.
 *
 * <p>Checkers depend only on the recorded history, never on the simulator, so a test can feed
 * them fabricated histories and a future driver (a live cluster under fault injection) can reuse
 * them. May not hold: anything that drives a run.
 */
package io.pbft.chaos.check;
