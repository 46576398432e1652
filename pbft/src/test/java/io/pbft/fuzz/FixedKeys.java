package io.pbft.fuzz;

import io.pbft.crypto.SigningKey;
import io.pbft.driver.Ed25519ReplicaKeys;
import io.pbft.driver.ReplicaKeys;
import java.util.Arrays;

/** Replica keys that are the same on every run, so that a corpus input replays the same way each time. */
public final class FixedKeys {

    private FixedKeys() {}

    /** Replica {@code id}'s identity key: its private key is 32 bytes of {@code id + 1}. */
    public static SigningKey signingKey(int id) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) (id + 1));
        return SigningKey.fromPrivateKeyBytes(seed);
    }

    /** Every replica's keys as its driver holds them, for a cluster of {@code n}. */
    public static ReplicaKeys[] replicas(int n) {
        byte[][] publicKeys = new byte[n][];
        for (int id = 0; id < n; id++) {
            publicKeys[id] = signingKey(id).publicKey();
        }
        ReplicaKeys[] replicas = new ReplicaKeys[n];
        for (int id = 0; id < n; id++) {
            replicas[id] = new Ed25519ReplicaKeys(id, signingKey(id), publicKeys);
        }
        return replicas;
    }
}
