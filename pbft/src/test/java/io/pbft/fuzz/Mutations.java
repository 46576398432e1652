package io.pbft.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/**
 * Structured damage to a valid encoding, the kinds a hostile peer or a damaged disk produces:
 * flipped bits, cut or padded ends, bytes inserted or removed, a slice repeated (a repeated field
 * many times over), a length or number replaced by a huge varint, and random bytes. Every result
 * is bounded: at most {@link #MAX_GROWTH_BYTES} longer than its input.
 */
public final class Mutations {

    public static final int MAX_GROWTH_BYTES = 64 * 1024;

    /** Varints that make lengths and counters lie: 2^31 - 1, 2^32 - 1, 2^63 - 1, 2^64 - 1, -1 as int32. */
    private static final byte[][] HUGE_VARINTS = {
        {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07},
        {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},
        {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f},
        {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, 0x01},
    };

    private Mutations() {}

    /** {@code valid} with one to four mutations applied. */
    public static byte[] mutate(Random random, byte[] valid) {
        byte[] bytes = valid;
        int rounds = 1 + random.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            bytes = once(random, bytes);
        }
        return bytes;
    }

    private static byte[] once(Random random, byte[] bytes) {
        if (bytes.length == 0) {
            return randomBytes(random, 1 + random.nextInt(64));
        }
        int at = random.nextInt(bytes.length);
        switch (random.nextInt(8)) {
            case 0: {
                byte[] flipped = bytes.clone();
                flipped[at] ^= (byte) (1 << random.nextInt(8));
                return flipped;
            }
            case 1:
                return Arrays.copyOf(bytes, at);
            case 2:
                return splice(bytes, at, at, randomBytes(random, 1 + random.nextInt(16)));
            case 3:
                return splice(bytes, at, Math.min(bytes.length, at + 1 + random.nextInt(16)), new byte[0]);
            case 4:
                return repeatSlice(random, bytes, at);
            case 5:
                return splice(bytes, at, Math.min(bytes.length, at + 1 + random.nextInt(5)),
                        HUGE_VARINTS[random.nextInt(HUGE_VARINTS.length)]);
            case 6: {
                byte[] overwritten = bytes.clone();
                overwritten[at] = (byte) random.nextInt(256);
                return overwritten;
            }
            default:
                return randomBytes(random, random.nextInt(2 * bytes.length + 1));
        }
    }

    /** A slice repeated up to the growth bound: a repeated field or a nested message many times over. */
    private static byte[] repeatSlice(Random random, byte[] bytes, int at) {
        int end = Math.min(bytes.length, at + 1 + random.nextInt(64));
        byte[] slice = Arrays.copyOfRange(bytes, at, end);
        int times = 1 + random.nextInt(Math.max(1, MAX_GROWTH_BYTES / slice.length));
        ByteArrayOutputStream repeated = new ByteArrayOutputStream(slice.length * times);
        for (int i = 0; i < times; i++) {
            repeated.writeBytes(slice);
        }
        return splice(bytes, end, end, repeated.toByteArray());
    }

    private static byte[] splice(byte[] bytes, int from, int to, byte[] insert) {
        byte[] out = new byte[bytes.length - (to - from) + insert.length];
        System.arraycopy(bytes, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(bytes, to, out, from + insert.length, bytes.length - to);
        return out;
    }

    public static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
