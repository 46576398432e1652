package io.pbft.storage;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One record of the write-ahead log, as read back. The log gives it an {@code index} (1, 2, 3, ...
 * in append order, never reused); the caller chose the rest. The payload is opaque to the log.
 *
 * <p>The payload is copied in and out so that a record stays immutable; it compares by content,
 * which a record over an array would not do by itself.
 *
 * @param index the record's position in the log, one more than the record before it
 * @param sequence the PBFT sequence number the record belongs to: {@link
 *     WriteAheadLog#truncateBefore} deletes by it
 * @param type the caller's tag for the kind of record
 * @param payload the caller's bytes
 */
public record LogRecord(long index, long sequence, byte type, byte[] payload) {

    public LogRecord {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public int payloadBytes() {
        return payload.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LogRecord that && index == that.index && sequence == that.sequence
                && type == that.type && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, sequence, type) * 31 + Arrays.hashCode(payload);
    }

    /** Long payloads are shortened: a failing test prints records, and a log line may too. */
    @Override
    public String toString() {
        int shown = Math.min(payload.length, 16);
        String hex = HexFormat.of().formatHex(payload, 0, shown) + (shown < payload.length ? "..." : "");
        return "LogRecord[index=" + index + ", sequence=" + sequence + ", type=" + type + ", payload="
                + payload.length + " bytes " + hex + "]";
    }
}
