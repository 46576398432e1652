/**
 * Checkers of PBFT's safety and liveness properties over a recorded
 * {@link io.pbft.chaos.check.RunHistory}: agreement, total order, exactly-once and validity,
 * checkpoint agreement, states that match what was executed, linearizability of what clients saw,
 * and liveness, every one across the restarts of a replica (its incarnations) too. Each returns
 * {@link io.pbft.chaos.check.Violation violations} in words a reader can act on;
 * {@link io.pbft.chaos.check.SafetyMonitor} runs the cheap ones after every simulation step, and
 * {@link io.pbft.chaos.check.EquivocationMonitor} on every message a correct replica sends: it
 * must never contradict what it sent before, even after a crash.
 *
 * <p>Checkers depend only on the recorded history, never on the simulator, so a test can feed
 * them fabricated histories and a future driver (a live cluster under fault injection) can reuse
 * them. May not hold: anything that drives a run.
 */
package io.pbft.chaos.check;
