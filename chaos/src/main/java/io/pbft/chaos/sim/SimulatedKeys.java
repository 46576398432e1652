package io.pbft.chaos.sim;

import io.pbft.crypto.Digests;
import io.pbft.crypto.SessionKey;
import io.pbft.driver.PeerMacs;
import io.pbft.driver.ReplicaKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The simulator's stand-in for Ed25519 and the pairwise MAC keys: HMAC-SHA256 under a secret per
 * replica (for "signatures") and per ordered pair (for MACs), each derived from the ids alone so
 * that runs stay reproducible and draw nothing from the run's random source. About a microsecond
 * instead of sixty, and still a real check: a message altered after signing, or signed with another
 * replica's secret, fails it, so the simulated pipeline drops forgeries exactly as a node does. A
 * Byzantine behaviour is handed only its own replica's signer.
 */
final class SimulatedKeys implements ReplicaKeys {

    private final int self;
    private final SessionKey[] signing;
    private final PeerMacs macs;

    SimulatedKeys(int self, int replicaCount) {
        this.self = self;
        this.signing = new SessionKey[replicaCount];
        SessionKey[] toPeer = new SessionKey[replicaCount];
        SessionKey[] fromPeer = new SessionKey[replicaCount];
        for (int id = 0; id < replicaCount; id++) {
            signing[id] = secret("signing", id, id);
            toPeer[id] = secret("mac", self, id);
            fromPeer[id] = secret("mac", id, self);
        }
        this.macs = new PeerMacs(toPeer, fromPeer);
    }

    private static SessionKey secret(String purpose, int from, int to) {
        byte[] ids = ByteBuffer.allocate(8).putInt(from).putInt(to).array();
        return SessionKey.of(Digests.sha256(("pbft-simulated-" + purpose).getBytes(StandardCharsets.UTF_8), ids));
    }

    @Override
    public byte[] sign(byte[] payload) {
        return signing[self].mac(payload);
    }

    @Override
    public boolean verify(int signer, byte[] payload, byte[] signature) {
        return signing[signer].verify(payload, signature);
    }

    @Override
    public PeerMacs macs() {
        return macs;
    }
}
