/**
 * The PBFT protocol core: a pure, deterministic state machine. Inputs are a verified message, a
 * client request, a tick of the driver's clock and a completed execution; each returns one
 * immutable {@link io.pbft.core.Effects} value that the driver carries out (send, execute, reply,
 * wake up later).
 *
 * <p>Nothing here starts a thread, blocks, reads a clock, draws a random number or touches Netty or
 * BouncyCastle: the replica node and the simulator are two drivers of the same code, and a test
 * ({@code CorePurityTest}) fails the build if that changes. Collections whose order can reach an
 * output are ordered ({@code TreeMap}, {@code ArrayDeque}, {@code LinkedHashMap}).
 */
package io.pbft.core;
