package io.pbft.core.message;

import com.google.protobuf.ByteString;

/**
 * Asks peers for the batch with {@code batchDigest} at {@code sequence}: a replica that must order a
 * batch re-issued in a new view, but never received it, gets it from one that did.
 */
public record FetchBatch(long sequence, ByteString batchDigest, int replica) implements ReplicaMessage {}
