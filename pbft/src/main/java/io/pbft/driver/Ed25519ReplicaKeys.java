package io.pbft.driver;

import io.pbft.crypto.PairwiseKeys;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SignatureVerifier;
import io.pbft.crypto.SigningKey;

/** A replica's Ed25519 identity key, every replica's public key, and the MAC keys derived pairwise from them. */
public final class Ed25519ReplicaKeys implements ReplicaKeys {

    private final SigningKey key;
    private final byte[][] publicKeys;
    private final PeerMacs macs;

    /**
     * @param publicKeys every replica's public key, by id, this one's included
     * @throws IllegalArgumentException naming the replica whose public key cannot be used
     */
    public Ed25519ReplicaKeys(int self, SigningKey key, byte[][] publicKeys) {
        this.key = key;
        this.publicKeys = publicKeys.clone();
        SessionKey[] toPeer = new SessionKey[publicKeys.length];
        SessionKey[] fromPeer = new SessionKey[publicKeys.length];
        for (int peer = 0; peer < publicKeys.length; peer++) {
            if (peer != self) {
                PairwiseKeys keys;
                try {
                    keys = PairwiseKeys.derive(key, self, publicKeys[peer], peer);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("replica." + peer + ".publicKey of the cluster configuration: "
                            + e.getMessage(), e);
                }
                toPeer[peer] = keys.outbound();
                fromPeer[peer] = keys.inbound();
            }
        }
        this.macs = new PeerMacs(toPeer, fromPeer);
    }

    @Override
    public byte[] sign(byte[] payload) {
        return key.sign(payload);
    }

    @Override
    public boolean verify(int signer, byte[] payload, byte[] signature) {
        return SignatureVerifier.verify(publicKeys[signer], payload, signature);
    }

    @Override
    public PeerMacs macs() {
        return macs;
    }
}
