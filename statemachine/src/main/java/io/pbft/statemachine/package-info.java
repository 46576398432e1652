/**
 * The {@link io.pbft.statemachine.StateMachine} SPI: the interface a service author implements
 * to make a deterministic service Byzantine fault tolerant, and its determinism rules.
 *
 * <p>Sub-packages hold example services: {@code kv} (a key-value store with compare-and-set and
 * multi-key transactions) and {@code counter}.
 *
 * <p>May not hold: networking, threads, clocks, randomness, or anything about PBFT messages.
 * This module depends on nothing of the library, so service code can be built and tested alone.
 */
package io.pbft.statemachine;
