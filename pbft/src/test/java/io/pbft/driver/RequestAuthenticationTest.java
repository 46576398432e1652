package io.pbft.driver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pbft.core.Outbound;
import io.pbft.core.message.ForwardedRequest;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SigningKey;
import io.pbft.wire.ClientIds;
import io.pbft.wire.ClientSignatures;
import io.pbft.wire.WireCodec;
import io.pbft.wire.proto.ReplicaEnvelope;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Backup 3 of four authenticates the requests of primary 0's pre-prepares by its own MAC entry or,
 * failing that, by the client's signature; and accepts a forwarded request only on the signature.
 */
class RequestAuthenticationTest {

    private static final int N = 4;
    private static final int SELF = 3;

    private final SecureRandom random = new SecureRandom();
    private final SigningKey[] replicaKeys = new SigningKey[N];
    private final Envelopes[] signers = new Envelopes[N];
    private final SigningKey client = SigningKey.generate(random);
    private final long clientId = ClientIds.fromPublicKey(client.publicKey());
    /** The session key replica 3 shares with the client. */
    private final SessionKey session;
    private final CountingDrops counter = new CountingDrops();
    private final Map<DropReason, Integer> drops = counter.drops;
    private final List<Boolean> prePreparesAuthenticated = new ArrayList<>();
    private final List<ReplicaMessage> messages = new ArrayList<>();
    private final InboundPipeline pipeline;
    private final ReplicaKeys backupKeys;

    RequestAuthenticationTest() {
        byte[][] publicKeys = new byte[N][];
        for (int id = 0; id < N; id++) {
            replicaKeys[id] = SigningKey.generate(random);
            publicKeys[id] = replicaKeys[id].publicKey();
        }
        for (int id = 0; id < N; id++) {
            signers[id] = new Envelopes(id, N, new Ed25519ReplicaKeys(id, replicaKeys[id], publicKeys));
        }
        backupKeys = new Ed25519ReplicaKeys(1, replicaKeys[1], publicKeys);
        byte[] sessionBytes = new byte[32];
        random.nextBytes(sessionBytes);
        session = SessionKey.of(sessionBytes);
        RequestCheck check = new ClientRequestCheck(request -> session.verify(request.digest().toByteArray(),
                request.authenticator().get(SELF).toByteArray()), new VerifiedSignatures());
        pipeline = new InboundPipeline(SELF, N, 8, new Ed25519ReplicaKeys(SELF, replicaKeys[SELF], publicKeys), check,
                new PreparedSlots(16), counter);
    }

    private final InboundPipeline.CoreInputs core = new InboundPipeline.CoreInputs() {
        @Override
        public void prePrepare(int from, Signed<PrePrepare> prePrepare, List<Request> batch, boolean authenticated) {
            prePreparesAuthenticated.add(authenticated);
        }

        @Override
        public void signed(int from, Signed<?> signed) {}

        @Override
        public void message(int from, ReplicaMessage message) {
            messages.add(message);
        }
    };

    /** A request with a valid MAC entry for replica 3 (and junk for the others, which 3 cannot check). */
    private Request request(long timestamp) {
        Request bare = Request.of(clientId, timestamp, ByteString.copyFromUtf8("op " + timestamp));
        List<ByteString> authenticator = new ArrayList<>();
        for (int id = 0; id < N; id++) {
            authenticator.add(id == SELF ? ByteString.copyFrom(session.mac(bare.digest().toByteArray()))
                    : ByteString.copyFrom(new byte[SessionKey.MAC_BYTES]));
        }
        return bare.withAuthenticator(authenticator);
    }

    private static Request withBadMac(Request request) {
        List<ByteString> authenticator = new ArrayList<>(request.authenticator());
        authenticator.set(SELF, flipped(authenticator.get(SELF)));
        return request.withAuthenticator(authenticator);
    }

    private static Request withoutMac(Request request) {
        List<ByteString> authenticator = new ArrayList<>(request.authenticator());
        authenticator.set(SELF, ByteString.EMPTY);
        return request.withAuthenticator(authenticator);
    }

    private static ByteString flipped(ByteString bytes) {
        byte[] copy = bytes.toByteArray();
        copy[0] ^= 1;
        return ByteString.copyFrom(copy);
    }

    /** Whether backup 3 found every request of a pre-prepare of {@code batch} authentic. */
    private boolean authenticated(Request... batch) {
        List<Request> requests = List.of(batch);
        Signed<PrePrepare> prePrepare = signers[0].sign(new PrePrepare(0, 1, PrePrepare.digestOf(requests), 0));
        ReplicaEnvelope.Builder frame;
        try {
            frame = ReplicaEnvelope.parseFrom(prePrepare.envelope()).toBuilder();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        requests.forEach(request -> frame.addBatch(WireCodec.encode(request)));
        assertThat(pipeline.accept(frame.build().toByteArray(), core)).isTrue();
        assertThat(prePreparesAuthenticated).hasSize(1);
        return prePreparesAuthenticated.get(0);
    }

    @Test
    void aRequestWithAValidMacEntryIsAuthenticWithoutASignature() {
        assertThat(authenticated(request(1))).isTrue();
        assertThat(counter.unverifiedPrePrepares).isZero();
    }

    @Test
    void aRequestWhoseMacEntryIsBadButWhoseSignatureIsGoodIsAuthentic() {
        Request signed = ClientSignatures.sign(client, request(1));

        assertThat(authenticated(request(2), withBadMac(signed))).isTrue();
        assertThat(counter.unverifiedPrePrepares).isZero();
    }

    @Test
    void aSignedRequestFromAClientThisReplicaHasNoSessionWithIsAuthentic() {
        // The case of an evicted session (issue 10, item 2): no MAC entry to check, the signature decides.
        assertThat(authenticated(withoutMac(ClientSignatures.sign(client, request(1))))).isTrue();
    }

    @Test
    void aRequestWithABadMacEntryAndABadSignatureIsNotAuthentic() {
        Request signed = ClientSignatures.sign(client, request(1));
        Request forged = withBadMac(signed).withSignature(signed.clientKey(), flipped(signed.signature()));

        assertThat(authenticated(request(2), forged)).isFalse();
        assertThat(counter.unverifiedPrePrepares).isEqualTo(1);
    }

    @Test
    void aSignatureByAKeyThatIsNotTheClientIdsIsNotAuthentic() {
        // Valid under the key it carries, but that key hashes to another client id.
        SigningKey other = SigningKey.generate(random);
        Request signedByOther = ClientSignatures.sign(other, withBadMac(request(1)));

        assertThat(ClientIds.fromPublicKey(other.publicKey())).isNotEqualTo(clientId);
        assertThat(authenticated(signedByOther)).isFalse();
    }

    @Test
    void anUnsignedRequestWithABadMacEntryIsNotAuthentic() {
        assertThat(authenticated(withBadMac(request(1)))).isFalse();
    }

    @Test
    void aSignatureOfAnotherLengthThanEd25519sDropsThePrePrepareAsMalformed() {
        Request signed = ClientSignatures.sign(client, request(1));
        Request padded = signed.withSignature(signed.clientKey(), signed.signature().concat(ByteString.copyFrom(new byte[1])));
        Signed<PrePrepare> prePrepare = signers[0].sign(new PrePrepare(0, 1, PrePrepare.digestOf(List.of(padded)), 0));
        byte[] frame;
        try {
            frame = ReplicaEnvelope.parseFrom(prePrepare.envelope()).toBuilder()
                    .addBatch(WireCodec.encode(padded)).build().toByteArray();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }

        assertThat(pipeline.accept(frame, core)).isFalse();
        assertThat(drops).containsEntry(DropReason.BAD_REQUEST_AUTHENTICATOR, 1);
        assertThat(prePreparesAuthenticated).isEmpty();
    }

    @Test
    void aForwardedRequestWithAValidMacButABadSignatureIsDroppedAndCounted() {
        Request signed = ClientSignatures.sign(client, request(1));
        Request forged = signed.withSignature(signed.clientKey(), flipped(signed.signature()));

        assertThat(pipeline.accept(forwarded(forged), core)).isFalse();

        assertThat(drops).containsEntry(DropReason.BAD_REQUEST_SIGNATURE, 1);
        assertThat(messages).isEmpty();
    }

    @Test
    void aForwardedRequestWithAGoodSignatureReachesTheCoreWhateverItsMac() {
        Request signed = withBadMac(ClientSignatures.sign(client, request(1)));

        assertThat(pipeline.accept(forwarded(signed), core)).isTrue();

        assertThat(messages).containsExactly(new ForwardedRequest(signed, 1));
        assertThat(drops).isEmpty();
    }

    /** Backup 1 forwards {@code request} to replica 3, with the MAC the two replicas share. */
    private byte[] forwarded(Request request) {
        byte[][] frame = new byte[1][];
        new OutboundPipeline(1, N, backupKeys).send(new Outbound(SELF, new ForwardedRequest(request, 1), null,
                List.of()), (peer, bytes) -> frame[0] = bytes);
        return frame[0];
    }
}
