/**
 * Runs the core's {@link io.pbft.core.Execution executions} against a service's
 * {@link io.pbft.statemachine.StateMachine}: the one piece of driving that the replica node and the
 * simulator share.
 */
package io.pbft.execution;
