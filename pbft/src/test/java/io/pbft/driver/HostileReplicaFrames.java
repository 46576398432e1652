package io.pbft.driver;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Request;
import io.pbft.fuzz.Mutations;
import io.pbft.wire.WireCodec;
import io.pbft.wire.proto.AuthenticatedRequest;
import io.pbft.wire.proto.BatchContent;
import io.pbft.wire.proto.Checkpoint;
import io.pbft.wire.proto.Commit;
import io.pbft.wire.proto.CommittedBatch;
import io.pbft.wire.proto.FetchBatch;
import io.pbft.wire.proto.FetchMeta;
import io.pbft.wire.proto.FetchNodes;
import io.pbft.wire.proto.FetchPartition;
import io.pbft.wire.proto.FetchState;
import io.pbft.wire.proto.ForwardedRequest;
import io.pbft.wire.proto.NewView;
import io.pbft.wire.proto.NodeHashes;
import io.pbft.wire.proto.PartitionContent;
import io.pbft.wire.proto.Prepare;
import io.pbft.wire.proto.PreparedProof;
import io.pbft.wire.proto.ReplicaEnvelope;
import io.pbft.wire.proto.ReplicaMessage;
import io.pbft.wire.proto.SlowPrimaryComplaint;
import io.pbft.wire.proto.StateChunk;
import io.pbft.wire.proto.StateMeta;
import io.pbft.wire.proto.Status;
import io.pbft.wire.proto.ViewChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Replica frames as a Byzantine replica (which holds a valid key) or a stranger can make them:
 * every message kind, built field by field at the protobuf level so that any value can appear
 * (wrong views and sequence numbers, replicas outside the cluster, digests of the wrong length,
 * huge repeated fields, nested certificates signed over wrong content), then signed, MACed or
 * neither, and sometimes damaged before signing (a valid signature over bytes that do not parse)
 * or after (a signature that no longer matches).
 */
public final class HostileReplicaFrames {

    private final ReplicaKeys[] keys;
    private final int receiver;
    /** The one replica whose key signs and MACs everything, or -1 for any replica's. */
    private final int byzantine;

    /** Frames signed with any replica's key: for a receiver with no honest majority to protect. */
    public HostileReplicaFrames(ReplicaKeys[] keys, int receiver) {
        this(keys, receiver, -1);
    }

    /**
     * Frames from one faulty replica, which signs and MACs only with its own key (it cannot forge
     * another's signature): what a live cluster tolerating f = 1 must keep serving through.
     */
    public HostileReplicaFrames(ReplicaKeys[] keys, int receiver, int byzantine) {
        this.keys = keys;
        this.receiver = receiver;
        this.byzantine = byzantine;
    }

    public byte[] frame(Random random) {
        int sender = byzantine >= 0 ? byzantine : random.nextInt(8) == 0 ? random.nextInt(keys.length) : peer(random);
        ReplicaMessage message = message(random, sender);
        byte[] payload = message.toByteArray();
        if (random.nextInt(6) == 0) {
            payload = Mutations.mutate(random, payload);
        }
        ReplicaEnvelope.Builder envelope = ReplicaEnvelope.newBuilder().setSender(sender(random, sender))
                .setPayload(UnsafeByteOperations.unsafeWrap(payload));
        switch (random.nextInt(10)) {
            case 0 -> { } // neither signature nor MAC
            // A replica shares no MAC key with itself.
            case 1, 2 -> envelope.setMac(sender == receiver ? ByteString.EMPTY
                    : UnsafeByteOperations.unsafeWrap(keys[sender].macs().mac(receiver, payload)));
            default -> envelope.setSignature(UnsafeByteOperations.unsafeWrap(keys[sender].sign(payload)));
        }
        if (message.hasPrePrepare() || random.nextInt(20) == 0) {
            envelope.addAllBatch(batch(random));
        }
        byte[] frame = envelope.build().toByteArray();
        return random.nextInt(8) == 0 ? Mutations.mutate(random, frame) : frame;
    }

    /** Who signs a nested message: the faulty replica if there is one, else anyone. */
    private int signer(Random random) {
        return byzantine >= 0 ? byzantine : random.nextInt(keys.length);
    }

    /** A replica other than the receiver. */
    private int peer(Random random) {
        int peer = random.nextInt(keys.length - 1);
        return peer >= receiver ? peer + 1 : peer;
    }

    /** The sender the envelope names: mostly the signer, sometimes another or one outside the cluster. */
    private int sender(Random random, int signer) {
        return switch (random.nextInt(16)) {
            case 0 -> -1;
            case 1 -> keys.length;
            case 2 -> random.nextInt(keys.length);
            default -> signer;
        };
    }

    ReplicaMessage message(Random random, int sender) {
        ReplicaMessage.Builder message = ReplicaMessage.newBuilder();
        switch (random.nextInt(15)) {
            case 0 -> message.setPrePrepare(io.pbft.wire.proto.PrePrepare.newBuilder().setView(view(random))
                    .setSequence(sequence(random)).setBatchDigest(digest(random)));
            case 1 -> message.setPrepare(prepare(random, sender));
            case 2 -> message.setCommit(Commit.newBuilder().setView(view(random)).setSequence(sequence(random))
                    .setBatchDigest(digest(random)).setReplica(replica(random, sender)));
            case 3 -> message.setCheckpoint(checkpoint(random, sender));
            case 4 -> message.setStatus(Status.newBuilder().setView(view(random)).setLastExecuted(sequence(random))
                    .setLowWatermark(sequence(random)).setReplica(replica(random, sender))
                    .setChangingView(random.nextBoolean()));
            case 5 -> message.setViewChange(viewChange(random, sender));
            case 6 -> message.setNewView(newView(random));
            case 7 -> message.setFetchBatch(FetchBatch.newBuilder().setSequence(sequence(random))
                    .setBatchDigest(digest(random)).setReplica(replica(random, sender)));
            case 8 -> message.setBatchContent(BatchContent.newBuilder().setSequence(sequence(random))
                    .setBatchDigest(digest(random)).addAllBatch(batch(random)).setReplica(replica(random, sender)));
            case 9 -> message.setCommittedBatch(CommittedBatch.newBuilder().setSequence(sequence(random))
                    .setBatchDigest(digest(random)).addAllBatch(batch(random)).setReplica(replica(random, sender)));
            case 10 -> message.setForwardedRequest(ForwardedRequest.newBuilder().setRequest(request(random))
                    .setReplica(replica(random, sender)));
            case 11 -> message.setSlowPrimaryComplaint(SlowPrimaryComplaint.newBuilder().setView(view(random))
                    .setReplica(replica(random, sender)));
            case 12 -> message.setFetchState(fetchState(random, sender));
            case 13 -> message.setStateChunk(stateChunk(random, sender));
            default -> { } // no kind: a message of a future version
        }
        return message.build();
    }

    private Prepare prepare(Random random, int sender) {
        return Prepare.newBuilder().setView(view(random)).setSequence(sequence(random)).setBatchDigest(digest(random))
                .setReplica(replica(random, sender)).build();
    }

    private Checkpoint checkpoint(Random random, int sender) {
        return Checkpoint.newBuilder().setSequence(sequence(random)).setStateDigest(digest(random))
                .setReplica(replica(random, sender)).build();
    }

    private ViewChange viewChange(Random random, int sender) {
        ViewChange.Builder viewChange = ViewChange.newBuilder().setNewView(view(random))
                .setCheckpointSequence(sequence(random)).setReplica(replica(random, sender));
        if (random.nextInt(4) != 0) {
            viewChange.setCheckpointDigest(digest(random));
        }
        int proofs = nestedCount(random);
        for (int i = 0; i < proofs; i++) {
            int signer = signer(random);
            viewChange.addCheckpointProof(nested(random, signer,
                    ReplicaMessage.newBuilder().setCheckpoint(checkpoint(random, signer)).build()));
        }
        int prepared = nestedCount(random);
        for (int i = 0; i < prepared; i++) {
            viewChange.addPrepared(preparedProof(random));
        }
        return viewChange.build();
    }

    private PreparedProof preparedProof(Random random) {
        int primary = signer(random);
        PreparedProof.Builder proof = PreparedProof.newBuilder().setPrePrepare(nested(random, primary,
                ReplicaMessage.newBuilder().setPrePrepare(io.pbft.wire.proto.PrePrepare.newBuilder()
                        .setView(view(random)).setSequence(sequence(random)).setBatchDigest(digest(random))).build()));
        int prepares = nestedCount(random);
        for (int i = 0; i < prepares; i++) {
            int signer = signer(random);
            proof.addPrepares(nested(random, signer, ReplicaMessage.newBuilder().setPrepare(prepare(random, signer)).build()));
        }
        return proof.build();
    }

    private NewView newView(Random random) {
        NewView.Builder newView = NewView.newBuilder().setView(view(random));
        int viewChanges = Math.min(nestedCount(random), keys.length + 1);
        for (int i = 0; i < viewChanges; i++) {
            int signer = signer(random);
            newView.addViewChanges(nested(random, signer,
                    ReplicaMessage.newBuilder().setViewChange(viewChange(random, signer)).build()));
        }
        int prePrepares = nestedCount(random);
        for (int i = 0; i < prePrepares; i++) {
            int signer = signer(random);
            newView.addPrePrepares(nested(random, signer, ReplicaMessage.newBuilder()
                    .setPrePrepare(io.pbft.wire.proto.PrePrepare.newBuilder().setView(view(random))
                            .setSequence(sequence(random)).setBatchDigest(digest(random))).build()));
        }
        return newView.build();
    }

    /**
     * A signed envelope nested in a certificate: mostly genuinely signed by {@code signer} over
     * whatever the message says, sometimes naming another sender, carrying a batch, or damaged.
     */
    private ByteString nested(Random random, int signer, ReplicaMessage message) {
        byte[] payload = message.toByteArray();
        if (random.nextInt(10) == 0) {
            payload = Mutations.mutate(random, payload);
        }
        ReplicaEnvelope.Builder envelope = ReplicaEnvelope.newBuilder().setSender(sender(random, signer))
                .setPayload(UnsafeByteOperations.unsafeWrap(payload))
                .setSignature(UnsafeByteOperations.unsafeWrap(keys[signer].sign(payload)));
        if (random.nextInt(20) == 0) {
            envelope.addBatch(request(random));
        }
        byte[] bytes = envelope.build().toByteArray();
        return UnsafeByteOperations.unsafeWrap(random.nextInt(20) == 0 ? Mutations.mutate(random, bytes) : bytes);
    }

    private FetchState fetchState(Random random, int sender) {
        FetchState.Builder fetch = FetchState.newBuilder().setSequence(sequence(random)).setRequest(random.nextLong())
                .setReplica(replica(random, sender));
        switch (random.nextInt(4)) {
            case 0 -> fetch.setMeta(FetchMeta.getDefaultInstance());
            case 1 -> fetch.setNodes(FetchNodes.newBuilder().setLevel(integer(random)).setFirstIndex(integer(random))
                    .setCount(integer(random)));
            case 2 -> fetch.setPartition(FetchPartition.newBuilder().setIndex(integer(random))
                    .setCursor(bytes(random)).setMaxBytes(integer(random)));
            default -> { }
        }
        return fetch.build();
    }

    private StateChunk stateChunk(Random random, int sender) {
        StateChunk.Builder chunk = StateChunk.newBuilder().setSequence(sequence(random)).setRequest(random.nextLong())
                .setReplica(replica(random, sender));
        switch (random.nextInt(4)) {
            case 0 -> chunk.setMeta(StateMeta.newBuilder().setServiceRoot(digest(random))
                    .setPartitionCount(integer(random)).setClientTableDigest(digest(random)));
            case 1 -> {
                NodeHashes.Builder nodes = NodeHashes.newBuilder().setLevel(integer(random))
                        .setFirstIndex(integer(random));
                int hashes = count(random);
                for (int i = 0; i < hashes; i++) {
                    nodes.addHashes(digest(random));
                }
                chunk.setNodes(nodes);
            }
            case 2 -> chunk.setPartition(PartitionContent.newBuilder().setIndex(integer(random))
                    .setContent(bytes(random)).setNext(bytes(random)));
            default -> { }
        }
        return chunk.build();
    }

    /** Requests: mostly well formed with junk MACs, sometimes with authenticators of every wrong shape. */
    List<AuthenticatedRequest> batch(Random random) {
        int size = count(random);
        List<AuthenticatedRequest> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            batch.add(request(random));
        }
        return batch;
    }

    public AuthenticatedRequest request(Random random) {
        long timestamp = switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> -1;
            default -> 1 + random.nextInt(1000);
        };
        AuthenticatedRequest.Builder request = AuthenticatedRequest.newBuilder();
        if (random.nextInt(20) != 0) {
            request.setRequest(io.pbft.wire.proto.Request.newBuilder().setClientId(random.nextInt(4) == 0
                            ? random.nextLong() : random.nextInt(3))
                    .setTimestamp(timestamp).setOperation(bytes(random)).setReadOnly(random.nextInt(8) == 0));
        }
        int entries = switch (random.nextInt(8)) {
            case 0 -> 0;
            case 1 -> count(random);
            default -> keys.length;
        };
        for (int i = 0; i < entries; i++) {
            request.addAuthenticator(random.nextInt(10) == 0 ? bytes(random)
                    : UnsafeByteOperations.unsafeWrap(Mutations.randomBytes(random, 16)));
        }
        return request.build();
    }

    /** A pre-prepare whose digest matches its batch, signed by {@code primary}: what a faulty primary sends. */
    byte[] consistentPrePrepare(Random random, int primary, long view, long sequence) {
        List<Request> requests = new ArrayList<>();
        List<AuthenticatedRequest> wire = batch(random);
        for (AuthenticatedRequest request : wire) {
            try {
                requests.add(WireCodec.decode(request));
            } catch (io.pbft.wire.MalformedMessageException e) {
                return frame(random);
            }
        }
        byte[] payload = WireCodec.encode(new PrePrepare(view, sequence, PrePrepare.digestOf(requests), primary))
                .toByteArray();
        return ReplicaEnvelope.newBuilder().setSender(primary).setPayload(UnsafeByteOperations.unsafeWrap(payload))
                .setSignature(UnsafeByteOperations.unsafeWrap(keys[primary].sign(payload))).addAllBatch(wire).build()
                .toByteArray();
    }

    /** Views near the cluster's (0, 1, 2) mostly, and now and then past anything sensible. */
    private static long view(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> Long.MAX_VALUE;
            case 1 -> -1;
            case 2 -> random.nextLong();
            default -> random.nextInt(3);
        };
    }

    /** Sequence numbers inside, at the edges of and far outside a window of 16. */
    private static long sequence(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> Long.MAX_VALUE;
            case 1 -> -1;
            case 2 -> random.nextLong();
            case 3 -> 16 + random.nextInt(40);
            default -> random.nextInt(17);
        };
    }

    private int replica(Random random, int sender) {
        return switch (random.nextInt(10)) {
            case 0 -> -1;
            case 1 -> random.nextInt(keys.length + 2);
            default -> sender;
        };
    }

    private static int integer(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> -1;
            case 1 -> Integer.MAX_VALUE;
            case 2 -> random.nextInt();
            default -> random.nextInt(8);
        };
    }

    /** Mostly a handful; now and then many (a huge repeated field). */
    private static int count(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> 200 + random.nextInt(800);
            case 1, 2 -> 0;
            default -> 1 + random.nextInt(4);
        };
    }

    /** Signed messages nested in one certificate: each costs a signature here and a check there. */
    private static int nestedCount(Random random) {
        return switch (random.nextInt(30)) {
            case 0 -> 5 + random.nextInt(16);
            case 1, 2, 3, 4, 5 -> 0;
            default -> 1 + random.nextInt(3);
        };
    }

    private static ByteString digest(Random random) {
        int length = switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 31;
            case 2 -> 33;
            default -> 32;
        };
        return UnsafeByteOperations.unsafeWrap(Mutations.randomBytes(random, length));
    }

    private static ByteString bytes(Random random) {
        int length = random.nextInt(16) == 0 ? random.nextInt(64 * 1024) : random.nextInt(64);
        return UnsafeByteOperations.unsafeWrap(Mutations.randomBytes(random, length));
    }
}
