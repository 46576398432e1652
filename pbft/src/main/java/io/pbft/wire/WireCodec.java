package io.pbft.wire;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.Commit;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.core.message.Status;
import io.pbft.crypto.Digests;
import io.pbft.wire.proto.AuthenticatedRequest;
import java.util.ArrayList;
import java.util.List;

/** Converts between the core's message records and their protobuf form. */
public final class WireCodec {

    private WireCodec() {}

    public static io.pbft.wire.proto.ReplicaMessage encode(ReplicaMessage message) {
        var builder = io.pbft.wire.proto.ReplicaMessage.newBuilder();
        if (message instanceof PrePrepare m) {
            var pp = io.pbft.wire.proto.PrePrepare.newBuilder()
                    .setView(m.view()).setSequence(m.sequence()).setBatchDigest(m.batchDigest());
            for (Request request : m.batch()) {
                pp.addRequests(encode(request));
            }
            builder.setPrePrepare(pp);
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
                    .setReplica(m.replica()));
        } else {
            throw new IllegalArgumentException("no wire form for " + message.getClass().getName());
        }
        return builder.build();
    }

    /**
     * Decodes a replica message whose signature by {@code sender} was verified. The sender of a
     * pre-prepare is the signer; every other kind names its replica, which the core compares
     * with the signer.
     */
    public static ReplicaMessage decode(int sender, io.pbft.wire.proto.ReplicaMessage message)
            throws MalformedMessageException {
        switch (message.getKindCase()) {
            case PRE_PREPARE: {
                var m = message.getPrePrepare();
                List<Request> batch = new ArrayList<>(m.getRequestsCount());
                for (AuthenticatedRequest request : m.getRequestsList()) {
                    batch.add(decode(request));
                }
                return new PrePrepare(counter("view", m.getView()), counter("sequence", m.getSequence()),
                        digest("batch_digest", m.getBatchDigest()), batch, sender);
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
                return new Status(counter("view", m.getView()), counter("last_executed", m.getLastExecuted()),
                        counter("low_watermark", m.getLowWatermark()), m.getReplica());
            }
            default:
                throw new MalformedMessageException("replica message of unknown kind " + message.getKindCase());
        }
    }

    public static AuthenticatedRequest encode(Request request) {
        return AuthenticatedRequest.newBuilder()
                .setRequest(io.pbft.wire.proto.Request.newBuilder()
                        .setClientId(request.clientId())
                        .setTimestamp(request.timestamp())
                        .setOperation(request.operation())
                        .setReadOnly(request.readOnly()))
                .addAllAuthenticator(request.authenticator())
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
                wire.getAuthenticatorList());
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

    /** uint64 fields the core treats as signed longs: values past 2^63 - 1 are nonsense, not wrap-arounds. */
    private static long counter(String field, long value) throws MalformedMessageException {
        if (value < 0) {
            throw new MalformedMessageException(field + " out of range: " + Long.toUnsignedString(value));
        }
        return value;
    }

    private static ByteString digest(String field, ByteString digest) throws MalformedMessageException {
        if (digest.size() != Digests.SHA256_BYTES) {
            throw new MalformedMessageException(
                    field + " must be " + Digests.SHA256_BYTES + " bytes, was " + digest.size());
        }
        return digest;
    }
}
