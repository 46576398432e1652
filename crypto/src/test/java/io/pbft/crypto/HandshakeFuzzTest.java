package io.pbft.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile answers to both sides of the connection handshake: whatever a client sends a replica
 * (or a replica a client), the receiving side derives a key or throws {@link HandshakeException},
 * never anything else. The inputs reach past the signature checks: valid signatures over a
 * transcript with wrong content, and over small-order or junk ephemeral keys.
 *
 * <p>The {@code @FuzzTest} methods replay their corpus under plain JUnit and fuzz with
 * {@code JAZZER_FUZZ=1} (docs/fuzzing.md); the seeded tests feed them generated inputs.
 */
class HandshakeFuzzTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SigningKey REPLICA_KEY = SigningKey.fromPrivateKeyBytes(filled(32, 1));
    private static final SigningKey CLIENT_KEY = SigningKey.fromPrivateKeyBytes(filled(32, 2));
    private static final int REPLICA_ID = 2;

    /** What a hostile answer does with the client's real answer. */
    private static final int RAW_FIELDS = 0;
    private static final int XORED_ANSWER = 1;
    private static final int SIGNED_WRONG_TRANSCRIPT = 2;
    private static final int SIGNED_CHOSEN_EPHEMERAL = 3;

    @FuzzTest(maxDuration = "2m")
    void responderCompletes(byte[] input) {
        HandshakeResponder responder = HandshakeResponder.create(REPLICA_KEY, REPLICA_ID, RANDOM);
        byte[][] answer = answer(responder, input);
        try {
            assertThat(responder.complete(answer[0], answer[1], answer[2])).isNotNull();
        } catch (HandshakeException refused) {
            assertThat(refused).hasMessageNotContaining(hex(CLIENT_KEY.privateKeyBytes()));
        }
        assertThatThrownBy(() -> responder.complete(answer[0], answer[1], answer[2]))
                .isInstanceOf(HandshakeException.class);
    }

    @FuzzTest(maxDuration = "2m")
    void initiatorResponds(byte[] input) {
        byte[][] fields = fields(input, 4);
        int mode = input.length == 0 ? 0 : input[0] & 1;
        byte[] nonce = fields[1];
        byte[] ephemeral = fields[2];
        // Mode 1: the replica's key really signs whatever nonce and ephemeral key the input holds.
        byte[] signature = mode == 1 && nonce.length == HandshakeResponder.NONCE_BYTES
                && ephemeral.length == HandshakeResponder.EPHEMERAL_PUBLIC_KEY_BYTES
                ? REPLICA_KEY.sign(HandshakeTranscript.responderHello(REPLICA_ID, nonce, ephemeral))
                : fields[3];
        try {
            HandshakeInitiator.Result result = HandshakeInitiator.respond(CLIENT_KEY,
                    mode == 1 ? REPLICA_KEY.publicKey() : fields[0], REPLICA_ID, nonce, ephemeral, signature, RANDOM);
            assertThat(result.signature()).hasSize(SigningKey.SIGNATURE_BYTES);
        } catch (HandshakeException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    @Test
    void seededHostileClientAnswersOnlyEverFailTheHandshake() {
        RandomizedCheck.run(getClass(), "seededHostileClientAnswersOnlyEverFailTheHandshake", 400,
                random -> responderCompletes(hostileInput(random)));
    }

    @Test
    void seededHostileReplicaHellosOnlyEverFailTheHandshake() {
        RandomizedCheck.run(getClass(), "seededHostileReplicaHellosOnlyEverFailTheHandshake", 400,
                random -> initiatorResponds(hostileInput(random)));
    }

    /**
     * The client's answer to {@code responder} as the input's first byte says: its raw fields, the
     * real answer XORed with the rest, a real signature over a transcript the input chose, or a
     * real signature over an ephemeral key the input chose (a small-order point, say).
     */
    private static byte[][] answer(HandshakeResponder responder, byte[] input) {
        int mode = input.length == 0 ? RAW_FIELDS : input[0] & 3;
        byte[] rest = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        byte[] identity = CLIENT_KEY.publicKey();
        switch (mode) {
            case XORED_ANSWER: {
                byte[][] answer = honestAnswer(responder);
                int at = 0;
                for (byte[] field : answer) {
                    for (int i = 0; i < field.length && at < rest.length; i++, at++) {
                        field[i] ^= rest[at];
                    }
                }
                return answer;
            }
            case SIGNED_WRONG_TRANSCRIPT:
                return new byte[][] {identity, honestAnswer(responder)[1], CLIENT_KEY.sign(rest)};
            case SIGNED_CHOSEN_EPHEMERAL: {
                byte[] ephemeral = Arrays.copyOf(rest, HandshakeResponder.EPHEMERAL_PUBLIC_KEY_BYTES);
                byte[] transcript = HandshakeTranscript.initiatorHello(responder.responderId(), responder.nonce(),
                        responder.ephemeralPublicKey(), ephemeral);
                return new byte[][] {identity, ephemeral, CLIENT_KEY.sign(transcript)};
            }
            default:
                return fields(rest, 3);
        }
    }

    private static byte[][] honestAnswer(HandshakeResponder responder) {
        try {
            HandshakeInitiator.Result result = HandshakeInitiator.respond(CLIENT_KEY, REPLICA_KEY.publicKey(),
                    responder.responderId(), responder.nonce(), responder.ephemeralPublicKey(), responder.signature(),
                    RANDOM);
            return new byte[][] {CLIENT_KEY.publicKey(), result.ephemeralPublicKey(), result.signature()};
        } catch (HandshakeException e) {
            throw new AssertionError("an honest answer failed", e);
        }
    }

    /** {@code count} fields, each a length byte and that many bytes; the last takes what is left. */
    private static byte[][] fields(byte[] input, int count) {
        byte[][] fields = new byte[count][];
        int at = Math.min(1, input.length);
        for (int i = 0; i < count; i++) {
            int length = i == count - 1 || at >= input.length ? input.length - at : input[at++] & 0xff;
            length = Math.min(length, input.length - at);
            fields[i] = Arrays.copyOfRange(input, at, at + length);
            at += length;
        }
        return fields;
    }

    /** Lengths around the right ones (32 and 64), small-order-looking points, and junk. */
    private static byte[] hostileInput(Random random) {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.write(random.nextInt(256));
        for (int field = 0; field < 4; field++) {
            int length = switch (random.nextInt(6)) {
                case 0 -> 0;
                case 1 -> 31 + random.nextInt(3);
                case 2 -> 63 + random.nextInt(3);
                case 3 -> random.nextInt(256);
                default -> 32;
            };
            input.write(length);
            byte[] bytes = random.nextInt(4) == 0 ? filled(length, random.nextInt(2)) : RandomizedCheck.bytes(random,
                    length, length);
            input.writeBytes(bytes);
        }
        return input.toByteArray();
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
