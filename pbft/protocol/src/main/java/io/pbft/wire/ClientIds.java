package io.pbft.wire;

import io.pbft.crypto.Digests;
import java.nio.ByteBuffer;

/**
 * A client's id is derived from its identity public key, so nobody can act under another client's
 * id without its private key, and clients need no registration.
 */
public final class ClientIds {

    private ClientIds() {}

    /** The first 63 bits of SHA-256 of the public key: positive, and collision-free in practice. */
    public static long fromPublicKey(byte[] identityPublicKey) {
        byte[] digest = Digests.sha256(identityPublicKey);
        return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong() & Long.MAX_VALUE;
    }
}
