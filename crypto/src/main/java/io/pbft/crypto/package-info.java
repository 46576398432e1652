/**
 * Cryptography for the PBFT library, with no knowledge of PBFT messages: it signs, verifies,
 * hashes and authenticates byte arrays that other modules hand it.
 *
 * <ul>
 *   <li>{@link io.pbft.crypto.Digests}: SHA-256 (JDK, CPU intrinsics).</li>
 *   <li>{@link io.pbft.crypto.SigningKey}, {@link io.pbft.crypto.SignatureVerifier}: Ed25519 through
 *       BouncyCastle's lightweight API; both safe to share between threads.</li>
 *   <li>{@link io.pbft.crypto.SessionKey}: HMAC-SHA256 truncated to 16 bytes, the MACs of the
 *       paper's authenticators.</li>
 *   <li>{@link io.pbft.crypto.HandshakeResponder}, {@link io.pbft.crypto.HandshakeInitiator}: the
 *       signed X25519 exchange that gives a client and a replica their session key.</li>
 *   <li>{@link io.pbft.crypto.KeyFile}, {@link io.pbft.crypto.KeyIdentity}: identity key files.</li>
 * </ul>
 *
 * <p>Entry points that take bytes a peer controls return {@code false} or throw a checked
 * {@link io.pbft.crypto.HandshakeException}; they never fail with an unchecked exception.
 */
package io.pbft.crypto;
