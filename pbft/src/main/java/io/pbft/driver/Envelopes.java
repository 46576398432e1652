package io.pbft.driver;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.pbft.core.MessageSigner;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Signed;
import io.pbft.crypto.Digests;
import io.pbft.wire.MalformedMessageException;
import io.pbft.wire.SignedOpener;
import io.pbft.wire.WireCodec;
import io.pbft.wire.proto.ReplicaEnvelope;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signed envelopes: making them for this replica's messages, and opening (parsing, verifying,
 * decoding) those nested in certificates. A signed envelope's bytes are canonical (sender, payload,
 * signature, nothing else), and so is its payload: the encoding of what it says, no more, so a
 * certificate is as large as its content and a faulty signer cannot pad what others relay.
 */
public final class Envelopes implements MessageSigner {

    /** Thrown for a nested message whose signature does not verify, to count it apart from malformed bytes. */
    public static final class BadSignatureException extends MalformedMessageException {
        private static final long serialVersionUID = 1L;

        BadSignatureException(String message) {
            super(message);
        }
    }

    /** Envelopes remembered as checked: a view change's certificates are mostly messages that arrived on their own before. */
    private static final int REMEMBERED = 1 << 16;

    private final int self;
    private final int replicaCount;
    private final ReplicaKeys keys;
    /**
     * Signed envelopes whose signature checked out, by the SHA-256 of their exact bytes (a view
     * change can be large), least recently used first.
     */
    private final Map<ByteString, Boolean> checked = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteString, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    public Envelopes(int self, int replicaCount, ReplicaKeys keys) {
        this.self = self;
        this.replicaCount = replicaCount;
        this.keys = keys;
    }

    /**
     * Remembers a signed envelope whose signature the caller checked, so that the same bytes nested
     * in a certificate later are not checked again: the same bytes verify the same way. A backup
     * checking a new view otherwise pays for most of its signatures twice.
     */
    private void remember(ByteString fingerprint) {
        synchronized (checked) {
            checked.put(fingerprint, Boolean.TRUE);
        }
    }

    private boolean checkedBefore(ByteString fingerprint) {
        synchronized (checked) {
            return checked.get(fingerprint) != null;
        }
    }

    /**
     * The canonical signed envelope of {@code payload}, or null when {@code signature} by
     * {@code sender} over it is not genuine. From memory if these exact bytes checked out before:
     * a view change resent with every status, or a certificate holding messages that arrived on
     * their own, costs no second check. The canonical bytes are what a certificate carries on.
     */
    ByteString verifiedEnvelope(int sender, ByteString payload, ByteString signature) {
        ByteString envelope = envelope(sender, payload, signature);
        ByteString fingerprint = fingerprint(envelope);
        if (checkedBefore(fingerprint)) {
            return envelope;
        }
        if (!keys.verify(sender, payload.toByteArray(), signature.toByteArray())) {
            return null;
        }
        remember(fingerprint);
        return envelope;
    }

    private static ByteString fingerprint(ByteString envelope) {
        return UnsafeByteOperations.unsafeWrap(Digests.sha256(envelope.toByteArray()));
    }

    @Override
    public <M extends ReplicaMessage> Signed<M> sign(M message) {
        byte[] payload = WireCodec.encode(message).toByteArray();
        return new Signed<>(message, envelope(self, UnsafeByteOperations.unsafeWrap(payload), keys.sign(payload)));
    }

    /**
     * An opener for the envelopes nested in one message that checks at most {@code maxSignatures}
     * signatures: checking costs about 60 us each, so a message holding more than its kind can
     * legitimately hold is refused before it costs more than that.
     */
    public SignedOpener opener(int maxSignatures) {
        return new SignedOpener() {
            private int left = maxSignatures;

            @Override
            public <M extends ReplicaMessage> Signed<M> open(ByteString bytes, Class<M> kind)
                    throws MalformedMessageException {
                if (left-- <= 0) {
                    throw new MalformedMessageException("more nested signed messages than a "
                            + kind.getSimpleName() + " can hold here");
                }
                return openNested(bytes, kind, this);
            }
        };
    }

    private <M extends ReplicaMessage> Signed<M> openNested(ByteString bytes, Class<M> kind, SignedOpener nested)
            throws MalformedMessageException {
        ReplicaEnvelope envelope;
        try {
            envelope = ReplicaEnvelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedMessageException("a nested envelope does not parse");
        }
        if (!envelope.hasSignature() || envelope.getBatchCount() > 0) {
            throw new MalformedMessageException("a nested envelope must be signed and carry no batch");
        }
        int sender = envelope.getSender();
        if (sender < 0 || sender >= replicaCount) {
            throw new MalformedMessageException("a nested envelope names sender " + Integer.toUnsignedString(sender));
        }
        byte[] payload = envelope.getPayload().toByteArray();
        io.pbft.wire.proto.ReplicaMessage parsed;
        try {
            parsed = io.pbft.wire.proto.ReplicaMessage.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedMessageException("a nested payload does not parse");
        }
        if (!kindMatches(parsed, kind)) {
            throw new MalformedMessageException("expected a nested " + kind.getSimpleName() + ", found " + parsed.getKindCase());
        }
        ByteString canonical = verifiedEnvelope(sender, envelope.getPayload(), envelope.getSignature());
        if (canonical == null) {
            throw new BadSignatureException("a nested " + kind.getSimpleName() + " of replica " + sender);
        }
        ReplicaMessage message = decodeCanonical(sender, parsed, envelope.getPayload(), nested);
        if (message.replica() != sender) {
            throw new MalformedMessageException("a nested message of replica " + message.replica() + " signed by " + sender);
        }
        return new Signed<>(kind.cast(message), canonical);
    }

    /** Decodes a verified payload, refusing one that is not exactly the encoding of what it decodes to. */
    ReplicaMessage decodeCanonical(int sender, io.pbft.wire.proto.ReplicaMessage parsed, ByteString payload,
            SignedOpener nested) throws MalformedMessageException {
        ReplicaMessage message = WireCodec.decode(sender, parsed, nested);
        if (!WireCodec.encode(message).toByteString().equals(payload)) {
            throw new NonCanonicalException(message.getClass().getSimpleName() + " of replica " + sender);
        }
        return message;
    }

    /** A signed payload that is not the canonical encoding of its content. */
    public static final class NonCanonicalException extends MalformedMessageException {
        private static final long serialVersionUID = 1L;

        NonCanonicalException(String message) {
            super(message);
        }
    }

    static ByteString envelope(int sender, ByteString payload, byte[] signature) {
        return envelope(sender, payload, UnsafeByteOperations.unsafeWrap(signature));
    }

    static ByteString envelope(int sender, ByteString payload, ByteString signature) {
        return ReplicaEnvelope.newBuilder().setSender(sender).setPayload(payload).setSignature(signature).build()
                .toByteString();
    }

    private static boolean kindMatches(io.pbft.wire.proto.ReplicaMessage parsed, Class<?> kind) {
        return switch (parsed.getKindCase()) {
            case PRE_PREPARE -> kind == io.pbft.core.message.PrePrepare.class;
            case PREPARE -> kind == io.pbft.core.message.Prepare.class;
            case CHECKPOINT -> kind == io.pbft.core.message.Checkpoint.class;
            case VIEW_CHANGE -> kind == io.pbft.core.message.ViewChange.class;
            case NEW_VIEW -> kind == io.pbft.core.message.NewView.class; // in a replica's own log only
            default -> false;
        };
    }
}
