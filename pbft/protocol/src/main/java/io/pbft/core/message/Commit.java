package io.pbft.core.message;

import com.google.protobuf.ByteString;

/** Sent once a replica has prepared ({@code view}, {@code sequence}, {@code batchDigest}). */
public record Commit(long view, long sequence, ByteString batchDigest, int replica) implements ReplicaMessage {}
