package io.pbft.driver.state;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;

/**
 * The cursor of the client table ({@link io.pbft.core.message.FetchState#CLIENT_TABLE}), which is
 * served as plain bytes: the offset to read from, as 4 bytes big-endian; empty for offset 0, as
 * every cursor is empty "from the start". Part of the protocol.
 */
final class TableCursor {

    static final int BYTES = Integer.BYTES;

    private TableCursor() {}

    static ByteString at(int offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset " + offset + " is negative");
        }
        return offset == 0 ? ByteString.EMPTY : ByteString.copyFrom(ByteBuffer.allocate(BYTES).putInt(0, offset));
    }

    /** The offset a peer's cursor names, or -1 if it is malformed. */
    static int offsetOf(ByteString cursor) {
        if (cursor.isEmpty()) {
            return 0;
        }
        if (cursor.size() != BYTES) {
            return -1;
        }
        int offset = cursor.asReadOnlyByteBuffer().getInt();
        return offset > 0 ? offset : -1;
    }
}
