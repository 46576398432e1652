package io.pbft.wire;

import com.google.protobuf.ByteString;
import io.pbft.core.message.BatchContent;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.Commit;
import io.pbft.core.message.CommittedBatch;
import io.pbft.core.message.FetchBatch;
import io.pbft.core.message.FetchState;
import io.pbft.core.message.ForwardedRequest;
import io.pbft.core.message.NewView;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.PreparedCertificate;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.core.message.SlowPrimaryComplaint;
import io.pbft.core.message.StableCheckpoint;
import io.pbft.core.message.StateChunk;
import io.pbft.core.message.Status;
import io.pbft.core.message.ViewChange;
import io.pbft.crypto.Digests;
import io.pbft.wire.proto.AuthenticatedRequest;
import io.pbft.wire.proto.PreparedProof;
import java.util.ArrayList;
import java.util.List;

/** Converts between the core's message records and their protobuf form. */
public final class WireCodec {

    private WireCodec() {}

    public static io.pbft.wire.proto.ReplicaMessage encode(ReplicaMessage message) {
        var builder = io.pbft.wire.proto.ReplicaMessage.newBuilder();
        if (message instanceof PrePrepare m) {
            builder.setPrePrepare(io.pbft.wire.proto.PrePrepare.newBuilder()
                    .setView(m.view()).setSequence(m.sequence()).setBatchDigest(m.batchDigest())
                    .setTimestampMillis(m.timestampMillis()));
        } else if (message instanceof Prepare m) {
            builder.setPrepare(io.pbft.wire.proto.Prepare.newBuilder()
                    .setView(m.view()).setSequence(m.sequence()).setBatchDigest(m.batchDigest()).setReplica(m.replica()));
        } else if (message instanceof Commit m) {
            builder.setCommit(io.pbft.wire.proto.Commit.newBuilder()
                    .setView(m.view()).setSequence(m.sequence()).setBatchDigest(m.batchDigest()).setReplica(m.replica()));
        } else if (message instanceof Checkpoint m) {
            builder.setCheckpoint(io.pbft.wire.proto.Checkpoint.newBuilder()
                    .setSequence(m.sequence()).setStateDigest(m.stateDigest()).setReplica(m.replica()));
        } else if (message instanceof Status m) {
            builder.setStatus(io.pbft.wire.proto.Status.newBuilder()
                    .setView(m.view()).setLastExecuted(m.lastExecuted()).setLowWatermark(m.lowWatermark())
                    .setReplica(m.replica()).setChangingView(!m.active()));
        } else if (message instanceof ViewChange m) {
            builder.setViewChange(encodeViewChange(m));
        } else if (message instanceof NewView m) {
            var newView = io.pbft.wire.proto.NewView.newBuilder().setView(m.view());
            m.viewChanges().forEach(signed -> newView.addViewChanges(signed.envelope()));
            m.prePrepares().forEach(signed -> newView.addPrePrepares(signed.envelope()));
            builder.setNewView(newView);
        } else if (message instanceof FetchBatch m) {
            builder.setFetchBatch(io.pbft.wire.proto.FetchBatch.newBuilder()
                    .setSequence(m.sequence()).setBatchDigest(m.batchDigest()).setReplica(m.replica()));
        } else if (message instanceof BatchContent m) {
            var content = io.pbft.wire.proto.BatchContent.newBuilder()
                    .setSequence(m.sequence()).setBatchDigest(m.batchDigest()).setReplica(m.replica())
                    .setTimestampMillis(m.timestampMillis());
            m.batch().forEach(request -> content.addBatch(encode(request)));
            builder.setBatchContent(content);
        } else if (message instanceof CommittedBatch m) {
            var committed = io.pbft.wire.proto.CommittedBatch.newBuilder()
                    .setSequence(m.sequence()).setBatchDigest(m.batchDigest()).setReplica(m.replica())
                    .setTimestampMillis(m.timestampMillis());
            m.batch().forEach(request -> committed.addBatch(encode(request)));
            builder.setCommittedBatch(committed);
        } else if (message instanceof ForwardedRequest m) {
            builder.setForwardedRequest(io.pbft.wire.proto.ForwardedRequest.newBuilder()
                    .setRequest(encode(m.request())).setReplica(m.replica()));
        } else if (message instanceof SlowPrimaryComplaint m) {
            builder.setSlowPrimaryComplaint(io.pbft.wire.proto.SlowPrimaryComplaint.newBuilder()
                    .setView(m.view()).setReplica(m.replica()));
        } else if (message instanceof FetchState m) {
            builder.setFetchState(StateTransferCodec.encode(m));
        } else if (message instanceof StateChunk m) {
            builder.setStateChunk(StateTransferCodec.encode(m));
        } else {
            throw new IllegalArgumentException("no wire form for " + message.getClass().getName());
        }
        return builder.build();
    }

    private static io.pbft.wire.proto.ViewChange encodeViewChange(ViewChange m) {
        var viewChange = io.pbft.wire.proto.ViewChange.newBuilder()
                .setNewView(m.newView())
                .setCheckpointSequence(m.checkpoint().sequence())
                .setCheckpointDigest(m.checkpoint().stateDigest())
                .setReplica(m.replica());
        m.checkpoint().proof().forEach(signed -> viewChange.addCheckpointProof(signed.envelope()));
        for (PreparedCertificate certificate : m.prepared()) {
            viewChange.addPrepared(encode(certificate));
        }
        return viewChange.build();
    }

    /**
     * Decodes a replica message whose signature or MAC by {@code sender} was verified. The sender of
     * a pre-prepare and of a new view is the signer; every other kind names its replica, which the
     * core compares with the signer. Signed envelopes nested inside (view changes, new views) are
     * opened, and so verified, by {@code opener}.
     */
    public static ReplicaMessage decode(int sender, io.pbft.wire.proto.ReplicaMessage message, SignedOpener opener)
            throws MalformedMessageException {
        switch (message.getKindCase()) {
            case PRE_PREPARE: {
                var m = message.getPrePrepare();
                return new PrePrepare(counter("view", m.getView()), counter("sequence", m.getSequence()),
                        digest("batch_digest", m.getBatchDigest()), sender, m.getTimestampMillis());
            }
            case PREPARE: {
                var m = message.getPrepare();
                return new Prepare(counter("view", m.getView()), counter("sequence", m.getSequence()),
                        digest("batch_digest", m.getBatchDigest()), m.getReplica());
            }
            case COMMIT: {
                var m = message.getCommit();
                return new Commit(counter("view", m.getView()), counter("sequence", m.getSequence()),
                        digest("batch_digest", m.getBatchDigest()), m.getReplica());
            }
            case CHECKPOINT: {
                var m = message.getCheckpoint();
                return new Checkpoint(counter("sequence", m.getSequence()),
                        digest("state_digest", m.getStateDigest()), m.getReplica());
            }
            case STATUS: {
                var m = message.getStatus();
                return new Status(counter("view", m.getView()), !m.getChangingView(),
                        counter("last_executed", m.getLastExecuted()), counter("low_watermark", m.getLowWatermark()),
                        m.getReplica());
            }
            case VIEW_CHANGE:
                return decodeViewChange(message.getViewChange(), opener);
            case NEW_VIEW: {
                var m = message.getNewView();
                List<Signed<ViewChange>> viewChanges = new ArrayList<>(m.getViewChangesCount());
                for (ByteString envelope : m.getViewChangesList()) {
                    viewChanges.add(opener.open(envelope, ViewChange.class));
                }
                List<Signed<PrePrepare>> prePrepares = new ArrayList<>(m.getPrePreparesCount());
                for (ByteString envelope : m.getPrePreparesList()) {
                    prePrepares.add(opener.open(envelope, PrePrepare.class));
                }
                return new NewView(counter("view", m.getView()), viewChanges, prePrepares, sender);
            }
            case FETCH_BATCH: {
                var m = message.getFetchBatch();
                return new FetchBatch(counter("sequence", m.getSequence()), digest("batch_digest", m.getBatchDigest()),
                        m.getReplica());
            }
            case BATCH_CONTENT: {
                var m = message.getBatchContent();
                return new BatchContent(counter("sequence", m.getSequence()),
                        digest("batch_digest", m.getBatchDigest()), decodeBatch(m.getBatchList()), m.getReplica(),
                        m.getTimestampMillis());
            }
            case COMMITTED_BATCH: {
                var m = message.getCommittedBatch();
                return new CommittedBatch(counter("sequence", m.getSequence()),
                        digest("batch_digest", m.getBatchDigest()), decodeBatch(m.getBatchList()), m.getReplica(),
                        m.getTimestampMillis());
            }
            case FORWARDED_REQUEST: {
                var m = message.getForwardedRequest();
                return new ForwardedRequest(decode(m.getRequest()), m.getReplica());
            }
            case SLOW_PRIMARY_COMPLAINT: {
                var m = message.getSlowPrimaryComplaint();
                return new SlowPrimaryComplaint(counter("view", m.getView()), m.getReplica());
            }
            case FETCH_STATE:
                return StateTransferCodec.decode(message.getFetchState());
            case STATE_CHUNK:
                return StateTransferCodec.decode(message.getStateChunk());
            default:
                throw new MalformedMessageException("replica message of unknown kind " + message.getKindCase());
        }
    }

    private static ViewChange decodeViewChange(io.pbft.wire.proto.ViewChange m, SignedOpener opener)
            throws MalformedMessageException {
        long checkpointSequence = counter("checkpoint_sequence", m.getCheckpointSequence());
        ByteString checkpointDigest = checkpointSequence == 0 && m.getCheckpointDigest().isEmpty()
                ? ByteString.EMPTY
                : digest("checkpoint_digest", m.getCheckpointDigest());
        List<Signed<Checkpoint>> proof = new ArrayList<>(m.getCheckpointProofCount());
        for (ByteString envelope : m.getCheckpointProofList()) {
            proof.add(opener.open(envelope, Checkpoint.class));
        }
        List<PreparedCertificate> prepared = new ArrayList<>(m.getPreparedCount());
        for (PreparedProof certificate : m.getPreparedList()) {
            prepared.add(decode(certificate, opener));
        }
        return new ViewChange(counter("new_view", m.getNewView()),
                new StableCheckpoint(checkpointSequence, checkpointDigest, proof), prepared, m.getReplica());
    }

    /** A prepared certificate as the signed envelopes it is made of. */
    public static PreparedProof encode(PreparedCertificate certificate) {
        var proof = PreparedProof.newBuilder().setPrePrepare(certificate.prePrepare().envelope());
        certificate.prepares().forEach(signed -> proof.addPrepares(signed.envelope()));
        return proof.build();
    }

    /** A prepared certificate, each envelope opened (so verified) by {@code opener}. */
    public static PreparedCertificate decode(PreparedProof certificate, SignedOpener opener)
            throws MalformedMessageException {
        List<Signed<Prepare>> prepares = new ArrayList<>(certificate.getPreparesCount());
        for (ByteString envelope : certificate.getPreparesList()) {
            prepares.add(opener.open(envelope, Prepare.class));
        }
        return new PreparedCertificate(opener.open(certificate.getPrePrepare(), PrePrepare.class), prepares);
    }

    public static List<Request> decodeBatch(List<AuthenticatedRequest> requests) throws MalformedMessageException {
        List<Request> batch = new ArrayList<>(requests.size());
        for (AuthenticatedRequest request : requests) {
            batch.add(decode(request));
        }
        return batch;
    }

    public static AuthenticatedRequest encode(Request request) {
        return AuthenticatedRequest.newBuilder()
                .setRequest(io.pbft.wire.proto.Request.newBuilder()
                        .setClientId(request.clientId())
                        .setTimestamp(request.timestamp())
                        .setOperation(request.operation())
                        .setReadOnly(request.readOnly()))
                .addAllAuthenticator(request.authenticator())
                .setClientKey(request.clientKey())
                .setSignature(request.signature())
                .build();
    }

    public static Request decode(AuthenticatedRequest wire) throws MalformedMessageException {
        if (!wire.hasRequest()) {
            throw new MalformedMessageException("authenticated request without a request");
        }
        var r = wire.getRequest();
        if (r.getTimestamp() <= 0) {
            throw new MalformedMessageException("request timestamp must be positive, was " + r.getTimestamp());
        }
        return new Request(r.getClientId(), r.getTimestamp(), r.getOperation(), r.getReadOnly(),
                wire.getAuthenticatorList(), wire.getClientKey(), wire.getSignature());
    }

    public static io.pbft.wire.proto.Reply encode(Reply reply) {
        return io.pbft.wire.proto.Reply.newBuilder()
                .setView(reply.view())
                .setTimestamp(reply.timestamp())
                .setClientId(reply.clientId())
                .setReplica(reply.replica())
                .setResult(reply.result())
                .build();
    }

    public static Reply decode(io.pbft.wire.proto.Reply reply) throws MalformedMessageException {
        return new Reply(counter("view", reply.getView()), reply.getClientId(),
                counter("timestamp", reply.getTimestamp()), reply.getReplica(), reply.getResult());
    }

    /**
     * The largest view, sequence number or timestamp a message may name. The core adds to these (the
     * next view, a window above a checkpoint), so a value near 2^63 would wrap around to a negative
     * one: f + 1 faulty replicas voting for view 2^63 - 1 and then complaining of its primary moved
     * a replica to view -2^63. No cluster gets near 2^62, a view change or a request a nanosecond
     * for a century.
     */
    public static final long MAX_COUNTER = 1L << 62;

    /** uint64 fields the core treats as signed longs: values past {@link #MAX_COUNTER} are nonsense, not wrap-arounds. */
    static long counter(String field, long value) throws MalformedMessageException {
        if (value < 0 || value > MAX_COUNTER) {
            throw new MalformedMessageException(field + " out of range: " + Long.toUnsignedString(value)
                    + " (at most 2^62)");
        }
        return value;
    }

    static ByteString digest(String field, ByteString digest) throws MalformedMessageException {
        if (digest.size() != Digests.SHA256_BYTES) {
            throw new MalformedMessageException(
                    field + " must be " + Digests.SHA256_BYTES + " bytes, was " + digest.size());
        }
        return digest;
    }
}
