package io.pbft.driver;

/**
 * What a replica can do with keys: sign with its own identity key, check any replica's signature,
 * and MAC messages to (and check MACs from) each peer under the key the two share. Thread-safe.
 * The node uses Ed25519 and HMAC-SHA256 ({@link Ed25519ReplicaKeys}); the simulator a cheap
 * deterministic stand-in that still rejects what another replica's key did not sign.
 */
public interface ReplicaKeys {

    byte[] sign(byte[] payload);

    boolean verify(int signer, byte[] payload, byte[] signature);

    PeerMacs macs();
}
