package io.pbft.node;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pbft.core.message.Commit;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Request;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SigningKey;
import io.pbft.wire.WireCodec;
import io.pbft.wire.proto.ReplicaEnvelope;
import java.util.List;

/** Hand-crafted replica frames. */
final class Frames {

    static final ByteString SOME_DIGEST = ByteString.copyFrom(new byte[32]);

    private Frames() {}

    static byte[] signed(int sender, SigningKey key, byte[] payload) {
        return ReplicaEnvelope.newBuilder()
                .setSender(sender)
                .setPayload(ByteString.copyFrom(payload))
                .setSignature(ByteString.copyFrom(key.sign(payload)))
                .build()
                .toByteArray();
    }

    static byte[] signed(int sender, SigningKey key, ReplicaMessage message) {
        return signed(sender, key, WireCodec.encode(message).toByteArray());
    }

    /** A signed pre-prepare with its batch beside the signed payload, as a primary sends it. */
    static byte[] signed(int sender, SigningKey key, PrePrepare prePrepare, List<Request> batch) {
        ReplicaEnvelope.Builder envelope = ReplicaEnvelope.newBuilder().mergeFrom(signedEnvelope(sender, key, prePrepare));
        batch.forEach(request -> envelope.addBatch(WireCodec.encode(request)));
        return envelope.build().toByteArray();
    }

    private static ReplicaEnvelope signedEnvelope(int sender, SigningKey key, ReplicaMessage message) {
        try {
            return ReplicaEnvelope.parseFrom(signed(sender, key, message));
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] maced(int sender, SessionKey key, ReplicaMessage message) {
        byte[] payload = WireCodec.encode(message).toByteArray();
        return ReplicaEnvelope.newBuilder()
                .setSender(sender)
                .setPayload(ByteString.copyFrom(payload))
                .setMac(ByteString.copyFrom(key.mac(payload)))
                .build()
                .toByteArray();
    }

    /**
     * A prepare for a view the cluster is not in: were it to reach the core, the core would reject
     * it as WRONG_VIEW rather than record a vote that could poison a real slot.
     */
    static Prepare harmlessPrepare(int replica) {
        return new Prepare(1_000, 9, SOME_DIGEST, replica);
    }

    /** A commit for a view the cluster is not in: the core rejects it as WRONG_VIEW. */
    static Commit harmlessCommit(int replica) {
        return new Commit(1_000, 9, SOME_DIGEST, replica);
    }
}
