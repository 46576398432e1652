package io.pbft.core.message;

import com.google.protobuf.ByteString;

/** A replica's answer to one client request; the client accepts a result on f + 1 matching replies. */
public record Reply(long view, long clientId, long timestamp, int replica, ByteString result) {}
