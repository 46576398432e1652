package io.pbft.statemachine.counter;

import io.pbft.statemachine.StateMachine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.OptionalLong;

/**
 * The smallest useful replicated service: one {@code long} counter, to show that the {@link
 * StateMachine} SPI is not tied to the key-value example or to protobuf.
 *
 * <p>Wire format, all integers big-endian:
 *
 * <ul>
 *   <li>operations: {@code 0x01} + 8-byte delta (increment by delta, which may be negative), or
 *       {@code 0x02} (read);
 *   <li>results: {@code 0x00} + 8-byte value of the counter after the operation, or {@code 0x01}
 *       + UTF-8 reason for a rejected operation (malformed, overflow, or an increment sent as a
 *       read-only query).
 * </ul>
 *
 * <p>Build operations with {@link #increment} and {@link #read}, decode results with {@link
 * #valueOf}.
 */
public final class CounterStateMachine implements StateMachine {

    private static final byte OP_INCREMENT = 0x01;
    private static final byte OP_READ = 0x02;
    private static final byte RESULT_VALUE = 0x00;
    private static final byte RESULT_REJECTED = 0x01;
    private static final byte[] DOMAIN_TAG = "pbft.counter.state-digest.v1".getBytes(StandardCharsets.US_ASCII);

    private long value;

    /** Creates a counter at zero. */
    public CounterStateMachine() {}

    /** Encodes "add {@code delta} to the counter". */
    public static byte[] increment(long delta) {
        return ByteBuffer.allocate(1 + Long.BYTES).put(OP_INCREMENT).putLong(delta).array();
    }

    /** Encodes "read the counter"; may be sent as a read-only query. */
    public static byte[] read() {
        return new byte[] {OP_READ};
    }

    /** The counter value in a result, or empty if the result is a rejection or garbage. */
    public static OptionalLong valueOf(byte[] result) {
        if (result == null || result.length != 1 + Long.BYTES || result[0] != RESULT_VALUE) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(ByteBuffer.wrap(result, 1, Long.BYTES).getLong());
    }

    @Override
    public byte[] execute(byte[] operation) {
        if (isRead(operation)) {
            return valueResult();
        }
        if (!isIncrement(operation)) {
            return rejected("malformed operation");
        }
        long delta = ByteBuffer.wrap(operation, 1, Long.BYTES).getLong();
        long sum = value + delta;
        // Overflow iff both operands have the sign opposite to the sum's (Math.addExact's test).
        if (((value ^ sum) & (delta ^ sum)) < 0) {
            return rejected("counter overflow");
        }
        value = sum;
        return valueResult();
    }

    @Override
    public byte[] query(byte[] operation) {
        if (isRead(operation)) {
            return valueResult();
        }
        return rejected(isIncrement(operation) ? "read-only query cannot increment" : "malformed operation");
    }

    @Override
    public byte[] stateDigest() {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(DOMAIN_TAG);
            return sha256.digest(snapshot());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public byte[] snapshot() {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    @Override
    public void restore(byte[] snapshot) {
        if (snapshot == null || snapshot.length != Long.BYTES) {
            throw new IllegalArgumentException("counter snapshot must be exactly " + Long.BYTES + " bytes");
        }
        value = ByteBuffer.wrap(snapshot).getLong();
    }

    private static boolean isRead(byte[] operation) {
        return operation != null && operation.length == 1 && operation[0] == OP_READ;
    }

    private static boolean isIncrement(byte[] operation) {
        return operation != null && operation.length == 1 + Long.BYTES && operation[0] == OP_INCREMENT;
    }

    private byte[] valueResult() {
        return ByteBuffer.allocate(1 + Long.BYTES).put(RESULT_VALUE).putLong(value).array();
    }

    private static byte[] rejected(String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + text.length).put(RESULT_REJECTED).put(text).array();
    }
}
