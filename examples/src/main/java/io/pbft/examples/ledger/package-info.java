/**
 * A replicated bank ledger, written as a service author writes a service on this library: the
 * {@link io.pbft.examples.ledger.LedgerStateMachine service} (accounts owned by the client that
 * opened them, deposits, transfers that never overdraw, balance reads), its {@link
 * io.pbft.examples.ledger.LedgerOp operations} and {@link io.pbft.examples.ledger.LedgerResult
 * results} with their {@link io.pbft.examples.ledger.LedgerCodec codec}, a {@link
 * io.pbft.examples.ledger.LedgerClient typed client} and a {@link
 * io.pbft.examples.ledger.LedgerReplica launcher}. The tests run it on four replica processes and in
 * the simulator with its own invariants (money conserved, no overdraft, only owners pay out).
 */
package io.pbft.examples.ledger;
