package io.pbft.driver;

import io.pbft.crypto.SessionKey;

/** The MAC keys one replica shares with each peer, one per direction; null at the replica's own id. */
public final class PeerMacs {

    private final SessionKey[] toPeer;
    private final SessionKey[] fromPeer;

    public PeerMacs(SessionKey[] toPeer, SessionKey[] fromPeer) {
        this.toPeer = toPeer.clone();
        this.fromPeer = fromPeer.clone();
    }

    public byte[] mac(int peer, byte[] payload) {
        return toPeer[peer].mac(payload);
    }

    public boolean verify(int peer, byte[] payload, byte[] mac) {
        return fromPeer[peer].verify(payload, mac);
    }
}
