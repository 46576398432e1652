package io.pbft.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Several frames in one fuzz input, each {@code control (1) | length (3, big-endian) | bytes}: a
 * burst of hostile frames against one receiver. The control byte tells the target how to treat
 * the frame (send as is, sign, MAC...), which lets a coverage-guided fuzzer reach what lies behind
 * a signature check. A length past the input's end takes what is left.
 */
public final class Bursts {

    /** One frame of a burst and how to treat it. */
    public record Piece(int control, byte[] bytes) {}

    private static final int HEADER_BYTES = 4;

    private Bursts() {}

    public static List<Piece> split(byte[] input) {
        List<Piece> pieces = new ArrayList<>();
        int at = 0;
        while (at < input.length) {
            int control = input[at] & 0xff;
            int length = 0;
            for (int i = 1; i < HEADER_BYTES; i++) {
                length = (length << 8) | (at + i < input.length ? input[at + i] & 0xff : 0);
            }
            int start = Math.min(input.length, at + HEADER_BYTES);
            int end = (int) Math.min(input.length, (long) start + length);
            pieces.add(new Piece(control, Arrays.copyOfRange(input, start, end)));
            at = end;
        }
        return pieces;
    }

    public static byte[] join(List<Piece> pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Piece piece : pieces) {
            int length = piece.bytes().length;
            out.write(piece.control());
            out.write(length >>> 16);
            out.write(length >>> 8);
            out.write(length);
            out.writeBytes(piece.bytes());
        }
        return out.toByteArray();
    }
}
