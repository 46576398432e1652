package io.pbft.chaos.check;

import com.google.protobuf.ByteString;
import java.util.HexFormat;

/** Short hex forms of digests for violation messages. */
final class Hex {

    private static final int SHORT_BYTES = 6;

    private Hex() {}

    /** The first bytes of a digest in hex, enough to tell two digests apart in a message. */
    static String shortDigest(ByteString digest) {
        if (digest == null) {
            return "<none>";
        }
        int length = Math.min(SHORT_BYTES, digest.size());
        String text = HexFormat.of().formatHex(digest.substring(0, length).toByteArray());
        return digest.size() > length ? text + "…" : text;
    }
}
