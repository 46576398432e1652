package io.pbft.bench.jmh;

import io.pbft.crypto.Digests;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SignatureVerifier;
import io.pbft.crypto.SigningKey;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What authentication costs per message: an Ed25519 signature and its check (replica-to-replica
 * messages), the HMAC-SHA256 session MAC (client requests and replies), and a SHA-256 digest.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CryptoBenchmark {

    @Param({"64", "256", "4096"})
    int messageBytes;

    private byte[] message;
    private SigningKey key;
    private byte[] publicKey;
    private byte[] signature;
    private SessionKey sessionKey;
    private byte[] mac;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        message = new byte[messageBytes];
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) random.nextInt(256);
        }
        key = SigningKey.generate(new SecureRandom());
        publicKey = key.publicKey();
        signature = key.sign(message);
        byte[] secret = new byte[SessionKey.KEY_BYTES];
        new SecureRandom().nextBytes(secret);
        sessionKey = SessionKey.of(secret);
        mac = sessionKey.mac(message);
    }

    @Benchmark
    public byte[] ed25519Sign() {
        return key.sign(message);
    }

    @Benchmark
    public boolean ed25519Verify() {
        return SignatureVerifier.verify(publicKey, message, signature);
    }

    @Benchmark
    public byte[] sessionMac() {
        return sessionKey.mac(message);
    }

    @Benchmark
    public boolean sessionMacVerify() {
        return sessionKey.verify(message, mac);
    }

    @Benchmark
    public byte[] sha256() {
        return Digests.sha256(message);
    }
}
