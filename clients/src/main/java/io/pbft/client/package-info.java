/**
 * The Java client of a PBFT cluster: {@link io.pbft.client.PbftClient} (send an operation,
 * complete on f + 1 matching replies), {@link io.pbft.client.KvClient} (the typed API of the
 * key-value example service), {@link io.pbft.client.StatusClient} (every replica's progress), and
 * {@link io.pbft.client.ReplyQuorum}, the f + 1 rule the network client and the simulator share.
 *
 * <p>What a failed future means: {@link io.pbft.client.RejectedException}, certainly not
 * executed; {@link java.util.concurrent.TimeoutException} and
 * {@link io.pbft.client.ClientClosedException}, outcome unknown;
 * {@link io.pbft.client.KvResultException}, executed and answered by the store as invalid.
 *
 * <p>May not hold protocol decisions beyond the client's part of PBFT (one outstanding request,
 * timestamps, retransmission, the reply quorum), nor Netty types (the transport hides them).
 */
package io.pbft.client;
