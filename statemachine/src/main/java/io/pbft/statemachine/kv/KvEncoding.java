package io.pbft.statemachine.kv;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The string framing shared by snapshots and partition chunks: a 4-byte big-endian length, then
 * that many bytes of UTF-8. Both come from other replicas, so reading checks every length against
 * the bytes left before using it, and decodes UTF-8 strictly.
 */
final class KvEncoding {

    /** The smallest encoded entry: an empty key and an empty value, two lengths. */
    static final int MIN_ENTRY_BYTES = 2 * Integer.BYTES;

    private KvEncoding() {}

    static void writeString(ByteArrayOutputStream out, String value) {
        writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
    }

    static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        writeInt(out, bytes.length);
        out.writeBytes(bytes);
    }

    static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    /**
     * Reads one framed string; {@code what} names the input in error messages.
     *
     * @throws IllegalArgumentException if the length runs past the end or the bytes are not UTF-8
     * @throws java.nio.BufferUnderflowException if fewer than 4 bytes are left for the length
     */
    static String readString(ByteBuffer in, String what) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException(what + " string length " + length + " exceeds the "
                    + in.remaining() + " bytes left");
        }
        ByteBuffer slice = in.slice();
        slice.limit(length);
        in.position(in.position() + length);
        return decodeUtf8(slice, what);
    }

    /** Strict decoding: a lenient one would map bad bytes to U+FFFD and accept two encodings of one state. */
    static String decodeUtf8(ByteBuffer bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " string is not valid UTF-8", e);
        }
    }
}
