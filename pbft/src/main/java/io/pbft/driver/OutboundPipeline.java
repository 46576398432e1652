package io.pbft.driver;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.pbft.core.Outbound;
import io.pbft.core.message.Request;
import io.pbft.wire.WireCodec;
import io.pbft.wire.proto.ReplicaEnvelope;
import java.util.function.IntConsumer;

/**
 * Turns the core's outbound messages into frames: a signed message leaves as the exact envelope the
 * core's signer made (once for every destination of a broadcast), with a pre-prepare's batch
 * appended beside it; any other message is encoded once and MAC'd per destination with the key this
 * replica shares with it.
 */
public final class OutboundPipeline {

    private final int self;
    private final int replicaCount;
    private final ReplicaKeys keys;

    public OutboundPipeline(int self, int replicaCount, ReplicaKeys keys) {
        this.self = self;
        this.replicaCount = replicaCount;
        this.keys = keys;
    }

    /** Sends one outbound message; returns false if it names no peer (a driver bug, logged by the caller). */
    public boolean send(Outbound outbound, FrameSink sink) {
        if (!outbound.isBroadcast() && (outbound.destination() < 0 || outbound.destination() >= replicaCount
                || outbound.destination() == self)) {
            return false;
        }
        if (outbound.isSigned()) {
            byte[] frame = signedFrame(outbound);
            forEachDestination(outbound, peer -> sink.send(peer, frame));
        } else {
            byte[] payload = WireCodec.encode(outbound.message()).toByteArray();
            forEachDestination(outbound, peer -> sink.send(peer, maced(payload, peer)));
        }
        return true;
    }

    private byte[] signedFrame(Outbound outbound) {
        if (outbound.batch().isEmpty()) {
            return outbound.envelope().toByteArray();
        }
        // Serialised protobuf messages concatenate into their merge: the envelope, then the batch field.
        ReplicaEnvelope.Builder batch = ReplicaEnvelope.newBuilder();
        for (Request request : outbound.batch()) {
            batch.addBatch(WireCodec.encode(request));
        }
        return outbound.envelope().concat(batch.build().toByteString()).toByteArray();
    }

    private byte[] maced(byte[] payload, int peer) {
        ByteString wrapped = UnsafeByteOperations.unsafeWrap(payload);
        return ReplicaEnvelope.newBuilder()
                .setSender(self)
                .setPayload(wrapped)
                .setMac(UnsafeByteOperations.unsafeWrap(keys.macs().mac(peer, payload)))
                .build()
                .toByteArray();
    }

    private void forEachDestination(Outbound outbound, IntConsumer action) {
        if (!outbound.isBroadcast()) {
            action.accept(outbound.destination());
            return;
        }
        for (int peer = 0; peer < replicaCount; peer++) {
            if (peer != self) {
                action.accept(peer);
            }
        }
    }
}
