/**
 * A one-{@code long} counter service ({@link io.pbft.statemachine.counter.CounterStateMachine}):
 * the smallest example of the {@link io.pbft.statemachine.StateMachine} SPI, with a hand-made
 * fixed-layout encoding instead of protobuf.
 *
 * <p>May not hold: networking, threads, anything PBFT-specific.
 */
package io.pbft.statemachine.counter;
