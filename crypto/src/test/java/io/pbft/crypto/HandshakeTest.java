package io.pbft.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int REPLICA_ID = 2;
    private static final SigningKey REPLICA_KEY = SigningKey.generate(RANDOM);
    private static final SigningKey CLIENT_KEY = SigningKey.generate(RANDOM);
    private static final byte[] PROBE = "probe".getBytes(StandardCharsets.US_ASCII);

    private final HandshakeResponder responder = HandshakeResponder.create(REPLICA_KEY, REPLICA_ID, RANDOM);

    @Test
    void bothSidesDeriveTheSameSessionKey() throws HandshakeException {
        HandshakeInitiator.Result initiated = respondTo(responder);

        SessionKey replicaSide = responder.complete(CLIENT_KEY.publicKey(), initiated.ephemeralPublicKey(),
                initiated.signature());

        assertThat(replicaSide.mac(PROBE)).isEqualTo(initiated.key().mac(PROBE));
        assertThat(replicaSide.verify(PROBE, initiated.key().mac(PROBE))).isTrue();
        assertThat(initiated.key().verify(PROBE, replicaSide.mac(PROBE))).isTrue();
    }

    @Test
    void signaturesAndSessionKeyFollowTheSpecifiedByteLayout() throws Exception {
        int replicaId = 0x01020304;
        HandshakeResponder hello = HandshakeResponder.create(REPLICA_KEY, replicaId, RANDOM);
        byte[] clientScalar = new byte[32];
        RANDOM.nextBytes(clientScalar);

        HandshakeInitiator.Result initiated = HandshakeInitiator.respond(CLIENT_KEY, REPLICA_KEY.publicKey(), replicaId,
                hello.nonce(), hello.ephemeralPublicKey(), hello.signature(), new FixedRandom(clientScalar));
        SessionKey replicaSide = hello.complete(CLIENT_KEY.publicKey(), initiated.ephemeralPublicKey(),
                initiated.signature());

        // Rebuild everything from the written specification, with BouncyCastle's X25519 key
        // parameter API and a fresh JDK digest rather than this module's code.
        byte[] id = {1, 2, 3, 4};
        X25519PrivateKeyParameters clientEphemeral = new X25519PrivateKeyParameters(clientScalar);
        assertThat(initiated.ephemeralPublicKey()).isEqualTo(clientEphemeral.generatePublicKey().getEncoded());
        assertThat(SignatureVerifier.verify(REPLICA_KEY.publicKey(),
                concat(ascii("pbft-hello-responder-v1"), id, hello.nonce(), hello.ephemeralPublicKey()),
                hello.signature())).isTrue();
        assertThat(SignatureVerifier.verify(CLIENT_KEY.publicKey(),
                concat(ascii("pbft-hello-initiator-v1"), id, hello.nonce(), hello.ephemeralPublicKey(),
                        initiated.ephemeralPublicKey()),
                initiated.signature())).isTrue();
        X25519Agreement agreement = new X25519Agreement();
        agreement.init(clientEphemeral);
        byte[] secret = new byte[agreement.getAgreementSize()];
        agreement.calculateAgreement(new X25519PublicKeyParameters(hello.ephemeralPublicKey()), secret, 0);
        byte[] expectedKey = MessageDigest.getInstance("SHA-256").digest(concat(ascii("pbft-session-v1"), secret,
                CLIENT_KEY.publicKey(), id, hello.nonce(), hello.ephemeralPublicKey(), initiated.ephemeralPublicKey()));
        byte[] expectedMac = SessionKey.of(expectedKey).mac(PROBE);
        assertThat(initiated.key().mac(PROBE)).isEqualTo(expectedMac);
        assertThat(replicaSide.mac(PROBE)).isEqualTo(expectedMac);
    }

    @Test
    void responderSignatureCoversIdNonceAndEphemeralKey() {
        byte[] hello = HandshakeTranscript.responderHello(REPLICA_ID, responder.nonce(), responder.ephemeralPublicKey());

        assertThat(SignatureVerifier.verify(REPLICA_KEY.publicKey(), hello, responder.signature())).isTrue();
        assertThat(responder.nonce()).hasSize(32);
        assertThat(responder.ephemeralPublicKey()).hasSize(32);
        assertThat(responder.signature()).hasSize(64);
        assertThat(responder.responderId()).isEqualTo(REPLICA_ID);
    }

    @Test
    void everyConnectionGetsAFreshKey() throws HandshakeException {
        HandshakeResponder second = HandshakeResponder.create(REPLICA_KEY, REPLICA_ID, RANDOM);

        SessionKey first = complete(responder, respondTo(responder));
        SessionKey other = complete(second, respondTo(second));

        assertThat(first.mac(PROBE)).isNotEqualTo(other.mac(PROBE));
        assertThat(second.nonce()).isNotEqualTo(responder.nonce());
    }

    // --- the initiator rejects a tampered or forged responder hello ---

    @Test
    void initiatorRejectsATamperedNonce() {
        byte[] nonce = responder.nonce();
        nonce[0] ^= 1;

        assertThatThrownBy(() -> HandshakeInitiator.respond(CLIENT_KEY, REPLICA_KEY.publicKey(), REPLICA_ID, nonce,
                responder.ephemeralPublicKey(), responder.signature(), RANDOM))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("responder signature does not verify");
    }

    @Test
    void initiatorRejectsATamperedResponderEphemeralKey() {
        byte[] ephemeral = responder.ephemeralPublicKey();
        ephemeral[31] ^= 0x40;

        assertThatThrownBy(() -> HandshakeInitiator.respond(CLIENT_KEY, REPLICA_KEY.publicKey(), REPLICA_ID,
                responder.nonce(), ephemeral, responder.signature(), RANDOM))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("responder signature does not verify");
    }

    @Test
    void initiatorRejectsATamperedResponderSignature() {
        byte[] signature = responder.signature();
        signature[10] ^= 1;

        assertThatThrownBy(() -> HandshakeInitiator.respond(CLIENT_KEY, REPLICA_KEY.publicKey(), REPLICA_ID,
                responder.nonce(), responder.ephemeralPublicKey(), signature, RANDOM))
                .isInstanceOf(HandshakeException.class);
    }

    @Test
    void initiatorRejectsAHelloSignedByAnotherReplica() {
        SigningKey impostor = SigningKey.generate(RANDOM);
        HandshakeResponder forged = HandshakeResponder.create(impostor, REPLICA_ID, RANDOM);

        assertThatThrownBy(() -> respondTo(forged)).isInstanceOf(HandshakeException.class);
    }

    @Test
    void initiatorRejectsAHelloForAnotherReplicaId() {
        assertThatThrownBy(() -> HandshakeInitiator.respond(CLIENT_KEY, REPLICA_KEY.publicKey(), REPLICA_ID + 1,
                responder.nonce(), responder.ephemeralPublicKey(), responder.signature(), RANDOM))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("responder " + (REPLICA_ID + 1));
    }

    @Test
    void initiatorRejectsFieldsOfTheWrongLengthNamingTheField() {
        assertThatThrownBy(() -> HandshakeInitiator.respond(CLIENT_KEY, new byte[31], REPLICA_ID, responder.nonce(),
                responder.ephemeralPublicKey(), responder.signature(), RANDOM))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("responder identity public key must be 32 bytes, found 31");
        assertThatThrownBy(() -> HandshakeInitiator.respond(CLIENT_KEY, REPLICA_KEY.publicKey(), REPLICA_ID,
                new byte[16], responder.ephemeralPublicKey(), responder.signature(), RANDOM))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("responder nonce must be 32 bytes, found 16");
        assertThatThrownBy(() -> HandshakeInitiator.respond(CLIENT_KEY, REPLICA_KEY.publicKey(), REPLICA_ID,
                responder.nonce(), new byte[33], responder.signature(), RANDOM))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("responder ephemeral public key must be 32 bytes, found 33");
        assertThatThrownBy(() -> HandshakeInitiator.respond(CLIENT_KEY, REPLICA_KEY.publicKey(), REPLICA_ID,
                responder.nonce(), responder.ephemeralPublicKey(), null, RANDOM))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("responder signature is missing");
    }

    @Test
    void initiatorRejectsASignedSmallOrderEphemeralKey() {
        // A malicious replica could sign a low-order point to force a secret everyone knows.
        byte[] nonce = new byte[32];
        byte[] zeroPoint = new byte[32];
        byte[] signature = REPLICA_KEY.sign(HandshakeTranscript.responderHello(REPLICA_ID, nonce, zeroPoint));

        assertThatThrownBy(() -> HandshakeInitiator.respond(CLIENT_KEY, REPLICA_KEY.publicKey(), REPLICA_ID, nonce,
                zeroPoint, signature, RANDOM))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("all-zero");
    }

    // --- the responder rejects a tampered or forged initiator answer ---

    @Test
    void responderRejectsATamperedInitiatorEphemeralKey() throws HandshakeException {
        HandshakeInitiator.Result initiated = respondTo(responder);
        byte[] ephemeral = initiated.ephemeralPublicKey();
        ephemeral[3] ^= 1;

        assertThatThrownBy(() -> responder.complete(CLIENT_KEY.publicKey(), ephemeral, initiated.signature()))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("initiator signature does not verify");
    }

    @Test
    void responderRejectsATamperedInitiatorSignature() throws HandshakeException {
        HandshakeInitiator.Result initiated = respondTo(responder);
        byte[] signature = initiated.signature();
        signature[0] ^= 1;

        assertThatThrownBy(() -> responder.complete(CLIENT_KEY.publicKey(), initiated.ephemeralPublicKey(), signature))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("initiator signature does not verify");
    }

    @Test
    void responderRejectsAClaimedIdentityThatDidNotSign() throws HandshakeException {
        HandshakeInitiator.Result initiated = respondTo(responder);
        SigningKey otherClient = SigningKey.generate(RANDOM);

        assertThatThrownBy(() -> responder.complete(otherClient.publicKey(), initiated.ephemeralPublicKey(),
                initiated.signature()))
                .isInstanceOf(HandshakeException.class);
    }

    @Test
    void responderRejectsAnAnswerReplayedFromAnotherConnection() throws HandshakeException {
        HandshakeResponder earlier = HandshakeResponder.create(REPLICA_KEY, REPLICA_ID, RANDOM);
        HandshakeInitiator.Result answerToEarlier = respondTo(earlier);

        assertThatThrownBy(() -> responder.complete(CLIENT_KEY.publicKey(), answerToEarlier.ephemeralPublicKey(),
                answerToEarlier.signature()))
                .isInstanceOf(HandshakeException.class);
    }

    @Test
    void responderRejectsAnAnswerMeantForAnotherReplica() throws HandshakeException {
        SigningKey otherReplicaKey = SigningKey.generate(RANDOM);
        HandshakeResponder otherReplica = HandshakeResponder.create(otherReplicaKey, REPLICA_ID + 1, RANDOM);
        HandshakeInitiator.Result answer = HandshakeInitiator.respond(CLIENT_KEY, otherReplicaKey.publicKey(),
                REPLICA_ID + 1, otherReplica.nonce(), otherReplica.ephemeralPublicKey(), otherReplica.signature(),
                RANDOM);

        assertThatThrownBy(() -> responder.complete(CLIENT_KEY.publicKey(), answer.ephemeralPublicKey(),
                answer.signature()))
                .isInstanceOf(HandshakeException.class);
    }

    @Test
    void responderRejectsFieldsOfTheWrongLengthNamingTheField() {
        assertThatThrownBy(() -> responder.complete(new byte[0], new byte[32], new byte[64]))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("initiator identity public key must be 32 bytes, found 0");
        HandshakeResponder second = HandshakeResponder.create(REPLICA_KEY, REPLICA_ID, RANDOM);
        assertThatThrownBy(() -> second.complete(new byte[32], null, new byte[64]))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("initiator ephemeral public key is missing");
        HandshakeResponder third = HandshakeResponder.create(REPLICA_KEY, REPLICA_ID, RANDOM);
        assertThatThrownBy(() -> third.complete(new byte[32], new byte[32], new byte[65]))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("initiator signature must be 64 bytes, found 65");
    }

    @Test
    void responderRejectsASignedSmallOrderEphemeralKey() {
        byte[] zeroPoint = new byte[32];
        byte[] signature = CLIENT_KEY.sign(HandshakeTranscript.initiatorHello(REPLICA_ID, responder.nonce(),
                responder.ephemeralPublicKey(), zeroPoint));

        assertThatThrownBy(() -> responder.complete(CLIENT_KEY.publicKey(), zeroPoint, signature))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("all-zero");
    }

    @Test
    void responderCompletesOnlyOnce() throws HandshakeException {
        HandshakeInitiator.Result initiated = respondTo(responder);
        complete(responder, initiated);

        assertThatThrownBy(() -> complete(responder, initiated))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("already completed or rejected");
    }

    @Test
    void rejectedAnswerUsesUpTheResponder() throws HandshakeException {
        HandshakeInitiator.Result initiated = respondTo(responder);
        byte[] badSignature = initiated.signature();
        badSignature[5] ^= 1;
        assertThatThrownBy(() -> responder.complete(CLIENT_KEY.publicKey(), initiated.ephemeralPublicKey(), badSignature))
                .isInstanceOf(HandshakeException.class);

        assertThatThrownBy(() -> complete(responder, initiated))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("already completed or rejected");
    }

    @Test
    void resultAndResponderHandOutCopies() throws HandshakeException {
        HandshakeInitiator.Result initiated = respondTo(responder);
        byte[] ephemeral = initiated.ephemeralPublicKey();
        byte[] nonce = responder.nonce();

        initiated.ephemeralPublicKey()[0] ^= 1;
        initiated.signature()[0] ^= 1;
        responder.nonce()[0] ^= 1;
        responder.ephemeralPublicKey()[0] ^= 1;
        responder.signature()[0] ^= 1;

        assertThat(initiated.ephemeralPublicKey()).isEqualTo(ephemeral);
        assertThat(responder.nonce()).isEqualTo(nonce);
        assertThat(complete(responder, initiated).mac(PROBE)).isEqualTo(initiated.key().mac(PROBE));
    }

    @Test
    void toStringsRevealNoKeyMaterial() throws HandshakeException {
        HandshakeInitiator.Result initiated = respondTo(responder);
        HexFormat hex = HexFormat.of();

        assertThat(initiated.toString()).doesNotContain(hex.formatHex(initiated.signature()));
        assertThat(responder.toString()).doesNotContain(hex.formatHex(responder.nonce()));
    }

    private static HandshakeInitiator.Result respondTo(HandshakeResponder hello) throws HandshakeException {
        return HandshakeInitiator.respond(CLIENT_KEY, REPLICA_KEY.publicKey(), REPLICA_ID, hello.nonce(),
                hello.ephemeralPublicKey(), hello.signature(), RANDOM);
    }

    private static SessionKey complete(HandshakeResponder hello, HandshakeInitiator.Result answer)
            throws HandshakeException {
        return hello.complete(CLIENT_KEY.publicKey(), answer.ephemeralPublicKey(), answer.signature());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Hands out fixed bytes, so that a test knows the ephemeral private key drawn from it. */
    private static final class FixedRandom extends SecureRandom {
        private final byte[] bytes;

        FixedRandom(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            if (out.length != bytes.length) {
                throw new IllegalStateException("expected one draw of " + bytes.length + " bytes, got " + out.length);
            }
            System.arraycopy(bytes, 0, out, 0, bytes.length);
        }
    }
}
