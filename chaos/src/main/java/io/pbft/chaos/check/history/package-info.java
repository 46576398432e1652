/**
 * A linearizability checker for the histories that {@code pbft workload --history} records
 * against a live cluster ({@code docs/history.md}), where, unlike in the simulator, no replica's
 * execution order is at hand as a witness: only what the clients saw. {@link
 * io.pbft.chaos.check.history.HistoryReader} reads the file (strictly, naming the line of any
 * error); {@link io.pbft.chaos.check.history.HistoryChecker} checks each key on its own with a
 * Wing–Gong–Lowe search memoized like Porcupine's, bounded by a step limit past which a key is
 * undecided, never passed; {@link io.pbft.chaos.check.history.HistoryReport} explains each key
 * that is not linearizable by the furthest point the search reached.
 *
 * <p>May not hold: anything that talks to a cluster or prints; {@code pbft check-history} in
 * {@code io.pbft.chaos.cli} does the printing.
 */
package io.pbft.chaos.check.history;
