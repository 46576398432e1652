package io.pbft.crypto;

/**
 * A key exchange that must be abandoned: a bad signature, a field of the wrong length, a
 * degenerate shared secret, or a second attempt to complete the same exchange. The message says
 * which; it never contains key material. Checked, because the peer controls the input and the
 * caller must decide what to do with the connection (normally close it and count the rejection).
 */
public final class HandshakeException extends Exception {

    public HandshakeException(String message) {
        super(message);
    }
}
