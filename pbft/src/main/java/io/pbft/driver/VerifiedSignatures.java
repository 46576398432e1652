package io.pbft.driver;

import io.pbft.core.message.Request;
import io.pbft.wire.ClientSignatures;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Checks clients' request signatures ({@link ClientSignatures}) and remembers the ones that
 * verified, so that a retransmission, a request forwarded by a backup, or one that comes back in a
 * pre-prepare is not verified again: an Ed25519 verification costs about 70 us, a lookup well
 * under one. Thread-safe, for the I/O threads.
 *
 * <p>Direct-mapped: each remembered signature has one slot, picked by its hash, and a newer one
 * takes the slot. Memory is fixed whatever clients send; a collision, even one a client contrives,
 * costs only a second verification. Only what verified is remembered, with the exact bytes that
 * made it verify (digest, key and signature), so that a retransmission with another key or
 * signature is checked on its own.
 */
public final class VerifiedSignatures {

    /** About 1 MiB of remembered signatures: far more requests than are ever outstanding at once. */
    static final int DEFAULT_SLOTS = 8192;

    private final AtomicReferenceArray<byte[]> slots;

    public VerifiedSignatures() {
        this(DEFAULT_SLOTS);
    }

    VerifiedSignatures(int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, was " + slots);
        }
        this.slots = new AtomicReferenceArray<>(slots);
    }

    /** Whether {@code request}'s signature is its client's: remembered, or verified now. */
    public boolean verify(Request request) {
        byte[] verified = fingerprint(request);
        int slot = slot(verified);
        if (Arrays.equals(slots.get(slot), verified)) {
            return true;
        }
        if (!ClientSignatures.verify(request)) {
            return false;
        }
        slots.set(slot, verified);
        return true;
    }

    private static byte[] fingerprint(Request request) {
        int digestBytes = request.digest().size();
        int keyBytes = request.clientKey().size();
        byte[] bytes = new byte[digestBytes + keyBytes + request.signature().size()];
        request.digest().copyTo(bytes, 0);
        request.clientKey().copyTo(bytes, digestBytes);
        request.signature().copyTo(bytes, digestBytes + keyBytes);
        return bytes;
    }

    private int slot(byte[] fingerprint) {
        return Arrays.hashCode(fingerprint) & (slots.length() - 1);
    }
}
