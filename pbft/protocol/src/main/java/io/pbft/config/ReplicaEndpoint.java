package io.pbft.config;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Where replica {@code id} listens for other replicas ({@code port}) and for clients
 * ({@code clientPort}), and its Ed25519 public key.
 */
public record ReplicaEndpoint(int id, String host, int port, int clientPort, byte[] publicKey) {

    public ReplicaEndpoint {
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReplicaEndpoint e && e.id == id && e.host.equals(host) && e.port == port
                && e.clientPort == clientPort && Arrays.equals(e.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return 31 * Integer.hashCode(id) + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "replica " + id + " at " + host + ":" + port + " (clients: " + clientPort + ", key "
                + HexFormat.of().formatHex(publicKey, 0, 4) + "...)";
    }
}
