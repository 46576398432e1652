package io.pbft.bench;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Request;
import io.pbft.crypto.SigningKey;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.wire.ClientIds;
import io.pbft.wire.ClientSignatures;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * One flooding client's requests, signed before the measurement starts, timestamps rising: every
 * one is new to the replicas and costs each a signature check, while the flooder, which shares the
 * cores with the replicas here, spends nothing on signing during the floods. Handed out once each,
 * across all the floods of a run. Only the signatures are kept (64 bytes a request); the rest of a
 * request is rebuilt from its timestamp when it is handed out.
 *
 * <p>Once they are used up, the requests handed out go on with rising timestamps but carry a
 * signature that does not verify: the flood goes on, but its requests are no longer ordered, and
 * a replica may reject one sooner than it verifies a good one, so the results say how many.
 */
final class PresignedRequests {

    private final SigningKey identity;
    private final long clientId;
    private final ByteString publicKey;
    private final byte[][] signatures;
    private final AtomicLong next = new AtomicLong();
    private final ByteString badSignature;

    private PresignedRequests(SigningKey identity, byte[][] signatures) {
        this.identity = identity;
        this.clientId = ClientIds.fromPublicKey(identity.publicKey());
        this.publicKey = ByteString.copyFrom(identity.publicKey());
        this.signatures = signatures;
        byte[] bad = new byte[SigningKey.SIGNATURE_BYTES];
        bad[0] = 1;
        this.badSignature = ByteString.copyFrom(bad);
    }

    /** {@code count} puts of one key, timestamps 1 to {@code count}, signed by a fresh identity on all cores. */
    static PresignedRequests sign(int count, SecureRandom random) {
        SigningKey identity = SigningKey.generate(random);
        PresignedRequests requests = new PresignedRequests(identity, new byte[count][]);
        IntStream.range(0, count).parallel().forEach(i -> requests.signatures[i] =
                ClientSignatures.sign(identity, requests.unsigned(i + 1)).signature().toByteArray());
        return requests;
    }

    private Request unsigned(long timestamp) {
        return Request.of(clientId, timestamp, ByteString.copyFrom(KvOps.put("flood", Long.toString(timestamp))));
    }

    SigningKey identity() {
        return identity;
    }

    /** The next request, without an authenticator: signed while signed ones are left, else with a bad signature. */
    Request next() {
        long index = next.getAndIncrement();
        ByteString signature = index < signatures.length ? ByteString.copyFrom(signatures[(int) index]) : badSignature;
        return unsigned(index + 1).withSignature(publicKey, signature);
    }

    /** How many were signed. */
    int signed() {
        return signatures.length;
    }

    /** Requests handed out with a bad signature, once the signed ones ran out. */
    long badlySignedHandedOut() {
        return Math.max(0, next.get() - signatures.length);
    }
}
