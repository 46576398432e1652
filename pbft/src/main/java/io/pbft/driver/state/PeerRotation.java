package io.pbft.driver.state;

import java.util.Arrays;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Which peer to ask next, deterministically: the other replicas in turn, starting after this
 * one, so that work spreads over peers and two fetchers do not start on the same peer.
 *
 * <p>A peer that answered wrong or not at all takes a strike. Only the peers with the fewest
 * strikes are asked; a Byzantine peer therefore drops out after its first lie, and an honest one
 * that timed out comes back as soon as the others have failed as often. Strikes only order the
 * peers, they never exclude one for good: if every peer has failed, all are asked again.
 */
final class PeerRotation {

    private final int[] peers;
    /** Strikes by replica id; the entry of this replica stays unused. */
    private final int[] strikes;
    private int next;

    PeerRotation(int self, int replicaCount) {
        if (self < 0 || self >= replicaCount) {
            throw new IllegalArgumentException("replica " + self + " is not one of " + replicaCount);
        }
        this.peers = new int[replicaCount - 1];
        for (int i = 0; i < peers.length; i++) {
            peers[i] = (self + 1 + i) % replicaCount;
        }
        this.strikes = new int[replicaCount];
    }

    int count() {
        return peers.length;
    }

    void strike(int peer) {
        strikes[peer]++;
    }

    int strikes(int peer) {
        return strikes[peer];
    }

    void forgetStrikes() {
        Arrays.fill(strikes, 0);
    }

    /**
     * The next peer in turn that is not {@code busy} and has the fewest strikes, passing over
     * {@code avoid} (the peer that just failed this work) while another such peer exists, even a
     * busy one: then the work waits for it. Empty if no peer can be asked now.
     */
    OptionalInt choose(Set<Integer> busy, int avoid) {
        int fewest = fewestStrikes();
        boolean otherThanAvoid = Arrays.stream(peers).anyMatch(p -> p != avoid && strikes[p] == fewest);
        for (int k = 0; k < peers.length; k++) {
            int at = (next + k) % peers.length;
            int peer = peers[at];
            if (busy.contains(peer) || strikes[peer] > fewest || (peer == avoid && otherThanAvoid)) {
                continue;
            }
            next = (at + 1) % peers.length;
            return OptionalInt.of(peer);
        }
        return OptionalInt.empty();
    }

    private int fewestStrikes() {
        return Arrays.stream(peers).map(p -> strikes[p]).min().orElseThrow();
    }
}
