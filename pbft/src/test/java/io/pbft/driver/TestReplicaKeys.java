package io.pbft.driver;

import io.pbft.crypto.SigningKey;
import java.security.SecureRandom;

/** Fresh Ed25519 keys for the replicas of a test cluster, each replica's as its driver holds them. */
final class TestReplicaKeys {

    private TestReplicaKeys() {}

    /** Every replica's keys (its own signing key, everyone's public keys), for a cluster of {@code n}. */
    static ReplicaKeys[] generate(int n) {
        SecureRandom random = new SecureRandom();
        SigningKey[] keys = new SigningKey[n];
        byte[][] publicKeys = new byte[n][];
        for (int id = 0; id < n; id++) {
            keys[id] = SigningKey.generate(random);
            publicKeys[id] = keys[id].publicKey();
        }
        ReplicaKeys[] replicas = new ReplicaKeys[n];
        for (int id = 0; id < n; id++) {
            replicas[id] = new Ed25519ReplicaKeys(id, keys[id], publicKeys);
        }
        return replicas;
    }
}
