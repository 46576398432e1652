package io.pbft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile byte streams into the frame decoder, arriving in chunks of any size: it emits exactly
 * the frames a plain reading of the stream finds, and the first length over its limit (the
 * smaller one before the handshake) is refused as soon as that length's four bytes are in, before
 * a byte of its payload is buffered; nothing else is ever thrown, and nothing after is decoded.
 *
 * <p>{@link #frameStreams} replays its corpus under plain JUnit and fuzzes with {@code JAZZER_FUZZ=1}
 * (docs/fuzzing.md); the seeded test feeds it streams of valid, oversized and torn frames.
 */
class FrameDecoderFuzzTest {

    private static final int MAX_FRAME_BYTES = 4 * 1024;
    private static final int MAX_UNAUTHENTICATED_FRAME_BYTES = 256;
    private static final String SEED_PROPERTY = "pbft.seed";

    /**
     * The input's first byte: bit 0, whether the connection is authenticated; the rest, the chunk
     * size the bytes arrive in (1 to 128). The stream follows.
     */
    @FuzzTest(maxDuration = "2m")
    void frameStreams(byte[] input) {
        boolean authenticated = input.length > 0 && (input[0] & 1) == 1;
        int chunkBytes = input.length > 0 ? 1 + ((input[0] & 0xff) >>> 1) : 1;
        byte[] stream = input.length > 0 ? Arrays.copyOfRange(input, 1, input.length) : input;
        int limit = authenticated ? MAX_FRAME_BYTES : MAX_UNAUTHENTICATED_FRAME_BYTES;
        Expected expected = expected(stream, limit);

        EmbeddedChannel channel = new EmbeddedChannel(
                new FrameDecoder(MAX_FRAME_BYTES, MAX_UNAUTHENTICATED_FRAME_BYTES, authenticated));
        List<byte[]> frames = new ArrayList<>();
        long refusedAt = -1;
        for (int at = 0; at < stream.length; at += chunkBytes) {
            int end = Math.min(stream.length, at + chunkBytes);
            try {
                channel.writeInbound(Unpooled.wrappedBuffer(stream, at, end - at));
            } catch (TooLongFrameException | FrameDecoder.TooLongBeforeHandshakeException tooLong) {
                assertThat(refusedAt).as("refused twice").isEqualTo(-1);
                assertThat(tooLong.getMessage()).contains("bytes");
                refusedAt = end;
            }
            drain(channel, frames);
        }
        channel.finishAndReleaseAll();

        assertThat(frames).as("frames decoded").hasSameSizeAs(expected.frames);
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i)).isEqualTo(expected.frames.get(i));
        }
        if (expected.tooLongEndsAt < 0) {
            assertThat(refusedAt).as("refused a stream with no length over the limit").isEqualTo(-1);
        } else {
            // Refused in the chunk that completed the length, not later.
            long chunkEnd = Math.min(stream.length,
                    ((expected.tooLongEndsAt + chunkBytes - 1) / chunkBytes) * (long) chunkBytes);
            assertThat(refusedAt).as("where the over-long length was refused").isEqualTo(chunkEnd);
        }
    }

    @Test
    void seededHostileStreamsAreFramedExactlyAndRefusedEarly() {
        String fixed = System.getProperty(SEED_PROPERTY);
        long seed = fixed != null ? Long.parseLong(fixed) : new SecureRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 2000; i++) {
            byte[] input = hostileStream(random);
            try {
                frameStreams(input);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("input " + i + " failed with seed " + seed + "; replay: mvn -B -o test -pl"
                        + " transport -Dtest=FrameDecoderFuzzTest -D" + SEED_PROPERTY + "=" + seed, e);
            }
        }
    }

    private static void drain(EmbeddedChannel channel, List<byte[]> frames) {
        for (ByteBuf frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
            frames.add(ByteBufUtil.getBytes(frame));
            frame.release();
        }
    }

    /** What a plain reading of the stream finds. */
    private record Expected(List<byte[]> frames, long tooLongEndsAt) {}

    private static Expected expected(byte[] stream, int limit) {
        List<byte[]> frames = new ArrayList<>();
        int at = 0;
        while (stream.length - at >= TransportConfig.LENGTH_PREFIX_BYTES) {
            long length = ByteBuffer.wrap(stream, at, 4).getInt() & 0xffffffffL;
            if (length > limit) {
                return new Expected(frames, at + TransportConfig.LENGTH_PREFIX_BYTES);
            }
            if (stream.length - at - TransportConfig.LENGTH_PREFIX_BYTES < length) {
                break;
            }
            int start = at + TransportConfig.LENGTH_PREFIX_BYTES;
            frames.add(Arrays.copyOfRange(stream, start, start + (int) length));
            at = start + (int) length;
        }
        return new Expected(frames, -1);
    }

    /** Frames of lengths around both limits, lengths past 2^31, torn ends, and junk. */
    private static byte[] hostileStream(SplittableRandom random) {
        ByteBuffer stream = ByteBuffer.allocate(4 * MAX_FRAME_BYTES);
        stream.put((byte) random.nextInt(256));
        int frames = random.nextInt(6);
        for (int i = 0; i < frames && stream.remaining() > MAX_FRAME_BYTES + 8; i++) {
            int length = switch (random.nextInt(8)) {
                case 0 -> MAX_UNAUTHENTICATED_FRAME_BYTES + random.nextInt(3) - 1;
                case 1 -> MAX_FRAME_BYTES + random.nextInt(3) - 1;
                case 2 -> -1 - random.nextInt(3); // 2^32 - 1 and below, read unsigned
                case 3 -> Integer.MAX_VALUE;
                default -> random.nextInt(300);
            };
            stream.putInt(length);
            int payload = Math.min(Math.max(0, length), Math.min(stream.remaining(), MAX_FRAME_BYTES + 1));
            if (random.nextInt(6) == 0) {
                payload = random.nextInt(payload + 1); // torn
            }
            byte[] bytes = new byte[payload];
            random.nextBytes(bytes);
            stream.put(bytes);
        }
        if (random.nextInt(4) == 0) {
            byte[] junk = new byte[random.nextInt(16)];
            random.nextBytes(junk);
            stream.put(junk);
        }
        return Arrays.copyOf(stream.array(), stream.position());
    }
}
