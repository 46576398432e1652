package io.pbft.statemachine;

/**
 * What the replicas agreed on about one operation, besides its bytes: the same on every correct
 * replica, so a service may base its results on it as deterministically as on the operation.
 *
 * @param clientId the client that sent the operation: its id is derived from the public key whose
 *     handshake and MACs authenticated the request, so a service may check ownership with it
 * @param sequence the sequence number of the batch that holds the operation; operations of one
 *     batch share it, and later batches have higher ones
 * @param timestampMillis the batch's agreed time, in milliseconds since the epoch: the primary
 *     proposed its clock's time, and each backup accepted it only within a bounded skew of its own
 *     clock ({@code protocol.maxClockSkewMillis} in the cluster file, 30 s by default) and in order
 *     with the batches around it (see {@code AgreedTime} in pbft-protocol), so it does not go back
 *     from one sequence number to the next. 0 for a batch ordered without one.
 */
public record RequestContext(long clientId, long sequence, long timestampMillis) {}
