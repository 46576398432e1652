package io.pbft.core.message;

import com.google.protobuf.ByteString;

/** The digest of a replica's state after executing every batch up to {@code sequence}. */
public record Checkpoint(long sequence, ByteString stateDigest, int replica) implements ReplicaMessage {}
