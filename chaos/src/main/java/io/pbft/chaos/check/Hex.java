package io.pbft.chaos.check;

import com.google.protobuf.ByteString;

/** Short hex forms of digests for violation messages. */
final class Hex {

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();
    private static final int SHORT_BYTES = 6;

    private Hex() {}

    /** The first bytes of a digest in hex, enough to tell two digests apart in a message. */
    static String shortDigest(ByteString digest) {
        if (digest == null) {
            return "<none>";
        }
        int length = Math.min(SHORT_BYTES, digest.size());
        StringBuilder text = new StringBuilder(2 * length + 1);
        for (int i = 0; i < length; i++) {
            int b = digest.byteAt(i) & 0xff;
            text.append(DIGITS[b >>> 4]).append(DIGITS[b & 0xf]);
        }
        return digest.size() > length ? text.append('…').toString() : text.toString();
    }
}
