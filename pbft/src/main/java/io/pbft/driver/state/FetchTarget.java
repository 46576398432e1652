package io.pbft.driver.state;

import com.google.protobuf.ByteString;
import io.pbft.core.StateDigests;
import io.pbft.core.message.StateChunk;
import io.pbft.statemachine.PartitionedStateMachine;
import io.pbft.statemachine.merkle.MerkleHash;
import io.pbft.statemachine.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The checkpoint being fetched and what has been verified about it so far, shared by the jobs of
 * one target: the certified digest, then the meta checked against it, then the client table
 * checked against the meta. A retarget makes a new one, so nothing unverified of the old survives.
 */
final class FetchTarget {

    final long sequence;
    final ByteString digest;
    final PartitionedStateMachine service;
    final StateDigests digests;
    final StateTransferLimits limits;
    final FetchTally tally;

    private byte[] serviceRoot;
    private ByteString clientTableDigest;
    /** The local tree when the meta was verified: the walk compares against it. */
    private MerkleTree localTree;
    private ByteString clientTable;

    FetchTarget(long sequence, ByteString digest, PartitionedStateMachine service, StateDigests digests,
            StateTransferLimits limits, FetchTally tally) {
        this.sequence = sequence;
        this.digest = digest;
        this.service = service;
        this.digests = digests;
        this.limits = limits;
        this.tally = tally;
    }

    /**
     * Keeps {@code meta} if it hashes to the certified digest and has the local partition count
     * (which the digest does not cover); whether it did.
     */
    boolean acceptMeta(StateChunk.Meta meta) {
        if (meta.partitionCount() != service.partitionCount() || meta.serviceRoot().size() != MerkleHash.BYTES
                || !digests.checkpointDigest(meta.serviceRoot(), meta.clientTableDigest()).equals(digest)) {
            return false;
        }
        serviceRoot = meta.serviceRoot().toByteArray();
        clientTableDigest = meta.clientTableDigest();
        localTree = service.merkleTree();
        return true;
    }

    /** The work an accepted meta leads to: the walk, unless the local root already matches, and the client table. */
    List<FetchJob> jobsAfterMeta() {
        List<FetchJob> next = new ArrayList<>();
        if (!Arrays.equals(localTree.root(), serviceRoot)) {
            next.add(new WalkJob(this, 0, 0, serviceRoot));
        }
        next.add(new TableJob(this));
        return next;
    }

    /** The verified root; only after the meta is accepted. */
    byte[] serviceRoot() {
        return serviceRoot.clone();
    }

    ByteString clientTableDigest() {
        return clientTableDigest;
    }

    MerkleTree localTree() {
        return localTree;
    }

    void clientTableVerified(ByteString table) {
        clientTable = table;
    }

    /** The verified client table bytes, or null until then. */
    ByteString clientTable() {
        return clientTable;
    }
}
