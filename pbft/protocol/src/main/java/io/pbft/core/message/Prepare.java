package io.pbft.core.message;

import com.google.protobuf.ByteString;

/** A backup's agreement with the pre-prepare for ({@code view}, {@code sequence}, {@code batchDigest}). */
public record Prepare(long view, long sequence, ByteString batchDigest, int replica) implements ReplicaMessage {}
