package io.pbft.driver;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pbft.core.message.ForwardedRequest;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.wire.MalformedMessageException;
import io.pbft.wire.SignedOpener;
import io.pbft.wire.WireCodec;
import io.pbft.wire.proto.ReplicaEnvelope;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a frame from another replica before the core sees it, on whatever thread the frame
 * arrived (the node's I/O threads, in parallel; the simulator's one thread): parse, known sender,
 * signature or MAC over the exact payload bytes (except for a prepare of a slot the core reported
 * prepared: see {@link PreparedSlots}), decode, open and verify every signed message nested inside,
 * a canonical payload and a signature for every kind that can enter a certificate, for a
 * pre-prepare the shape of every request's authenticator and whether each request is authentic
 * here (its MAC entry or else its client's signature), and for a forwarded request its client's
 * signature.
 * Whatever fails is dropped and counted; nothing a peer sends makes it throw.
 */
public final class InboundPipeline {

    /** Where verified inputs go: the core, on its own thread. */
    public interface CoreInputs {
        void prePrepare(int from, Signed<PrePrepare> prePrepare, List<Request> batch, boolean requestsAuthenticated);

        void signed(int from, Signed<?> signed);

        void message(int from, ReplicaMessage message);
    }

    private static final Logger log = LoggerFactory.getLogger(InboundPipeline.class);

    private final int self;
    private final int replicaCount;
    private final ReplicaKeys keys;
    private final Envelopes envelopes;
    private final RequestCheck requests;
    private final PreparedSlots prepared;
    private final DropCounter drops;
    /** The most signed messages any one message may carry: a new view's, the largest kind. */
    private final int maxNestedSignatures;

    /**
     * @param windowSize the protocol's L, which bounds how many prepared certificates a view change
     *     (and so a new view) can carry
     */
    public InboundPipeline(int self, int replicaCount, int windowSize, ReplicaKeys keys, RequestCheck requests,
            PreparedSlots prepared, DropCounter drops) {
        this.self = self;
        this.replicaCount = replicaCount;
        this.maxNestedSignatures = maxNestedSignatures(replicaCount, windowSize);
        this.keys = keys;
        this.envelopes = new Envelopes(self, replicaCount, keys);
        this.requests = requests;
        this.prepared = prepared;
        this.drops = drops;
    }

    /**
     * A view change holds its checkpoint proof (n at most) and up to L prepared certificates of at
     * most n messages each, itself signed; a new view holds up to n view changes and L re-issued
     * pre-prepares.
     */
    static int maxNestedSignatures(int replicaCount, int windowSize) {
        long viewChange = 1L + replicaCount + (long) windowSize * replicaCount;
        return (int) Math.min(Integer.MAX_VALUE, replicaCount * viewChange + windowSize);
    }

    /** Checks {@code frame} and hands what passes to {@code core}; returns whether it passed. */
    public boolean accept(byte[] frame, CoreInputs core) {
        try {
            return check(frame, core);
        } catch (RuntimeException e) {
            // Nothing a peer sends should get here; if it does, it is still only a dropped frame.
            log.debug("replica {}: a frame failed its checks", self, e);
            return drop(DropReason.MALFORMED_FRAME, "unexpected: " + e);
        }
    }

    /**
     * {@link #accept} without its safety net: the fuzz tests call it so that a check that throws is
     * a failure to fix rather than one more dropped frame.
     */
    boolean check(byte[] frame, CoreInputs core) {
        ReplicaEnvelope envelope;
        try {
            envelope = ReplicaEnvelope.parseFrom(frame);
        } catch (InvalidProtocolBufferException e) {
            return drop(DropReason.MALFORMED_FRAME, "not a ReplicaEnvelope");
        }
        int sender = envelope.getSender(); // uint32: values past 2^31 arrive negative
        if (sender < 0 || sender >= replicaCount || sender == self) {
            return drop(DropReason.UNKNOWN_SENDER, "sender " + Integer.toUnsignedString(sender));
        }
        byte[] payload = envelope.getPayload().toByteArray();
        io.pbft.wire.proto.ReplicaMessage parsed;
        try {
            parsed = io.pbft.wire.proto.ReplicaMessage.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            return drop(DropReason.MALFORMED_FRAME, "sender " + sender + ": " + e.getMessage());
        }
        if (parsed.hasPrepare() && prepared.isPrepared(parsed.getPrepare().getView(), parsed.getPrepare().getSequence())) {
            drops.redundantPrepare();
            return false;
        }
        ByteString signedEnvelope = null;
        switch (envelope.getProofCase()) {
            case SIGNATURE:
                signedEnvelope = envelopes.verifiedEnvelope(sender, envelope.getPayload(), envelope.getSignature());
                if (signedEnvelope == null) {
                    return drop(DropReason.BAD_SIGNATURE, "sender " + sender);
                }
                break;
            case MAC:
                if (!keys.macs().verify(sender, payload, envelope.getMac().toByteArray())) {
                    return drop(DropReason.BAD_REPLICA_MAC, "sender " + sender);
                }
                break;
            default:
                return drop(DropReason.MALFORMED_FRAME, "sender " + sender + ": neither signature nor MAC");
        }
        ReplicaMessage message;
        try {
            SignedOpener nested = envelopes.opener(maxNestedSignatures);
            message = envelope.hasSignature()
                    ? envelopes.decodeCanonical(sender, parsed, envelope.getPayload(), nested)
                    : WireCodec.decode(sender, parsed, nested);
        } catch (Envelopes.BadSignatureException e) {
            return drop(DropReason.BAD_SIGNATURE, "sender " + sender + ": " + e.getMessage());
        } catch (Envelopes.NonCanonicalException e) {
            return drop(DropReason.NON_CANONICAL, "sender " + sender + ": " + e.getMessage());
        } catch (MalformedMessageException e) {
            return drop(DropReason.MALFORMED_FRAME, "sender " + sender + ": " + e.getMessage());
        }
        if (message.entersCertificates() != envelope.hasSignature()) {
            // Accepted on a MAC, it could end up in a certificate that no other replica can check.
            return drop(message.entersCertificates() ? DropReason.MISSING_SIGNATURE : DropReason.MALFORMED_FRAME,
                    "sender " + sender + ": " + message.getClass().getSimpleName());
        }
        if (!envelope.hasSignature()) {
            return deliverMaced(sender, message, core);
        }
        if (message instanceof PrePrepare prePrepare) {
            return deliverPrePrepare(sender, new Signed<>(prePrepare, signedEnvelope), envelope, core);
        }
        if (envelope.getBatchCount() > 0) {
            return drop(DropReason.MALFORMED_FRAME, "sender " + sender + ": a batch beside a " + message.getClass().getSimpleName());
        }
        core.signed(sender, new Signed<>(message, signedEnvelope));
        return true;
    }

    private boolean deliverPrePrepare(int sender, Signed<PrePrepare> prePrepare, ReplicaEnvelope envelope,
            CoreInputs core) {
        List<Request> batch;
        try {
            batch = WireCodec.decodeBatch(envelope.getBatchList());
        } catch (MalformedMessageException e) {
            return drop(DropReason.MALFORMED_FRAME, "pre-prepare " + prePrepare.message().sequence() + ": " + e.getMessage());
        }
        if (!wellFormed(batch)) {
            return drop(DropReason.BAD_REQUEST_AUTHENTICATOR, "pre-prepare " + prePrepare.message().sequence());
        }
        boolean authenticated = requests.authentic(batch);
        if (!authenticated) {
            // An honest primary proposes only requests whose signature verified, which verifies
            // here too: so a faulty primary proposed this batch, in this view or (re-issued by a
            // new primary once it prepared) an earlier one. The core holds the batch until 2f
            // other backups vouch for it.
            drops.unverifiedPrePrepare();
        }
        core.prePrepare(sender, prePrepare, batch, authenticated);
        return true;
    }

    private boolean deliverMaced(int sender, ReplicaMessage message, CoreInputs core) {
        if (message instanceof ForwardedRequest forwarded) {
            // This replica may propose it: only a signature shows every other replica it is genuine.
            if (!Authenticators.wellFormed(forwarded.request(), replicaCount)) {
                return drop(DropReason.MALFORMED_FRAME, "request forwarded by " + sender);
            }
            if (!requests.signed(forwarded.request())) {
                return drop(DropReason.BAD_REQUEST_SIGNATURE, "request forwarded by " + sender);
            }
        }
        core.message(sender, message);
        return true;
    }

    /** A batch carrying junk authenticators is refused outright: nobody could vouch for its shape. */
    private boolean wellFormed(List<Request> batch) {
        for (Request request : batch) {
            if (!Authenticators.wellFormed(request, replicaCount)) {
                return false;
            }
        }
        return true;
    }

    /** Counts a drop; always false, so a check can end with {@code return drop(...)}. */
    private boolean drop(DropReason reason, String detail) {
        drops.drop(reason);
        log.debug("replica {}: dropped a frame ({}: {})", self, reason, detail);
        return false;
    }
}
