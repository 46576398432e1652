package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Commit;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.PreparedCertificate;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.core.message.StableCheckpoint;
import io.pbft.core.message.Status;
import io.pbft.core.message.ViewChange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Builders for core tests: a four-replica cluster (f = 1) where replica 0 is the primary of view 0. */
final class CoreFixtures {

    static final int N = 4;
    static final ByteString DIGEST_OF_NOTHING = ByteString.copyFrom(new byte[32]);

    /**
     * Signs by naming the message: the core never looks inside an envelope, and tests need two
     * signatures of one message to be equal, which this gives.
     */
    static final MessageSigner SIGNER = new MessageSigner() {
        @Override
        public <M extends ReplicaMessage> Signed<M> sign(M message) {
            return CoreFixtures.signed(message);
        }
    };

    /** Every batch a fixture pre-prepare was made for, by digest: the batch travels beside the pre-prepare. */
    /**
     * Checkpoint digests that are the service's digest alone, so that tests name a checkpoint's digest
     * by the state digest they report; {@code CheckpointDigestTest} covers the real combination with
     * the client table.
     */
    static final StateDigests SERVICE_DIGEST_ONLY = new StateDigests() {
        @Override
        public ByteString clientTableDigest(ByteString clientTable) {
            return DIGEST_OF_NOTHING;
        }

        @Override
        public ByteString checkpointDigest(ByteString serviceRoot, ByteString clientTableDigest) {
            return serviceRoot;
        }
    };

    private static final Map<ByteString, List<Request>> BATCHES = new ConcurrentHashMap<>();

    private CoreFixtures() {}

    static ReplicaConfig config(int id) {
        return ReplicaConfig.defaults(N, id).withWindow(8, 4).withInvariantChecks(true);
    }

    static Replica replica(ReplicaConfig config) {
        return new Replica(config, SIGNER, SERVICE_DIGEST_ONLY);
    }

    static Replica replica(int id) {
        return replica(config(id));
    }

    static <M extends ReplicaMessage> Signed<M> signed(M message) {
        return new Signed<>(message, ByteString.copyFromUtf8(
                message.getClass().getSimpleName() + " by " + message.replica() + " #" + message.hashCode()));
    }

    static Request request(long client, long timestamp) {
        return Request.of(client, timestamp, ByteString.copyFrom("op-" + client + "-" + timestamp, StandardCharsets.UTF_8));
    }

    static PrePrepare prePrepare(long view, long sequence, Request... batch) {
        return prePrepare(view, sequence, config(0).primaryOf(view), batch);
    }

    static PrePrepare prePrepare(long view, long sequence, int primary, Request... batch) {
        return prePrepareAt(view, sequence, primary, 0, batch);
    }

    /** A pre-prepare whose primary proposed {@code timestampMillis} as the batch's agreed time. */
    static PrePrepare prePrepareAt(long view, long sequence, int primary, long timestampMillis, Request... batch) {
        List<Request> requests = List.of(batch);
        ByteString digest = PrePrepare.digestOf(timestampMillis, requests);
        BATCHES.put(digest, requests);
        return new PrePrepare(view, sequence, digest, primary, timestampMillis);
    }

    /** The batch a fixture pre-prepare was made with. */
    static List<Request> batchOf(PrePrepare prePrepare) {
        return BATCHES.getOrDefault(prePrepare.batchDigest(), List.of());
    }

    static Prepare prepare(PrePrepare prePrepare, int replica) {
        return new Prepare(prePrepare.view(), prePrepare.sequence(), prePrepare.batchDigest(), replica);
    }

    static Commit commit(PrePrepare prePrepare, int replica) {
        return new Commit(prePrepare.view(), prePrepare.sequence(), prePrepare.batchDigest(), replica);
    }

    /** A prepared certificate: {@code prePrepare} and the prepares of {@code backups} for it, all signed. */
    static PreparedCertificate certificate(PrePrepare prePrepare, int... backups) {
        List<Signed<Prepare>> prepares = new ArrayList<>();
        for (int backup : backups) {
            prepares.add(signed(prepare(prePrepare, backup)));
        }
        return new PreparedCertificate(signed(prePrepare), prepares);
    }

    /** A stable checkpoint whose proof is the signed checkpoints of {@code signers}. */
    static StableCheckpoint stableCheckpoint(long sequence, ByteString stateDigest, int... signers) {
        List<Signed<Checkpoint>> proof = new ArrayList<>();
        for (int signer : signers) {
            proof.add(signed(new Checkpoint(sequence, stateDigest, signer)));
        }
        return new StableCheckpoint(sequence, stateDigest, proof);
    }

    /** A view change from the initial state, carrying {@code prepared}. */
    static ViewChange viewChange(long newView, int replica, PreparedCertificate... prepared) {
        return viewChange(newView, StableCheckpoint.INITIAL, replica, prepared);
    }

    static ViewChange viewChange(long newView, StableCheckpoint checkpoint, int replica,
            PreparedCertificate... prepared) {
        return new ViewChange(newView, checkpoint, List.of(prepared), replica);
    }

    /**
     * Delivers {@code message} from {@code from} as a driver would: a pre-prepare signed with its
     * batch (its requests authenticated), a kind that enters certificates signed, the rest as MAC'd.
     */
    /**
     * Every peer reports its status (view 0, nothing executed) at {@code now}: the replica has heard
     * from its peers lately, so it is not cut off and votes when a timer runs out.
     */
    static void hearFromPeers(Replica replica, long now) {
        for (int peer = 0; peer < N; peer++) {
            if (peer != replica.config().replicaId()) {
                deliver(replica, peer, new Status(0, true, 0, 0, peer), now);
            }
        }
    }

    /**
     * Runs the replica from {@code fromMillis} until before {@code untilMillis} in an idle, healthy
     * cluster: every status interval its peers report their status (as {@link #hearFromPeers}) and
     * its driver wakes it. The events of those inputs. A replica left without inputs for longer than
     * that takes the silence for a pause of its own process, and does not count it against its
     * primary.
     */
    static List<ProtocolEvent> runUntil(Replica replica, long fromMillis, long untilMillis) {
        List<ProtocolEvent> events = new ArrayList<>();
        for (long millis = fromMillis; millis < untilMillis; millis += replica.config().statusIntervalMillis()) {
            hearFromPeers(replica, millis);
            events.addAll(replica.onTick(millis).events());
        }
        return events;
    }

    static Effects deliver(Replica replica, int from, ReplicaMessage message, long now) {
        if (message instanceof PrePrepare prePrepare) {
            return replica.onPrePrepare(from, signed(prePrepare), batchOf(prePrepare), true, now);
        }
        if (message.entersCertificates()) {
            return replica.onSigned(from, signed(message), now);
        }
        return replica.onMessage(from, message, now);
    }

    /** The messages of {@code effects}, without their envelopes. */
    static List<ReplicaMessage> sent(Effects effects) {
        return effects.messages().stream().map(Outbound::message).toList();
    }

    /** The messages of {@code effects} of one kind, in the order they were sent. */
    static <T extends ReplicaMessage> List<T> sent(Effects effects, Class<T> kind) {
        return effects.messages().stream().map(Outbound::message).filter(kind::isInstance).map(kind::cast).toList();
    }

    /** Results for an execution: one per request, each the request's own operation echoed back. */
    static List<ByteString> echo(Execution execution) {
        List<ByteString> results = new ArrayList<>();
        for (Request request : execution.requests()) {
            results.add(request.operation());
        }
        return results;
    }
}
