package io.pbft.examples.ledger;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The ledger's bytes, one layout for the replicas and the clients. Big-endian; an account name is
 * one length byte and its ASCII characters.
 *
 * <pre>
 * operation: 0x01 name                  open
 *            0x02 name amount(8)        deposit
 *            0x03 from to amount(8)     transfer
 *            0x04 name                  balance
 * result:    0x00 balance(8)            done
 *            0x01 reason(1)             refused
 * </pre>
 *
 * Decoding is strict: a trailing byte, a bad name or a non-positive amount makes the bytes
 * malformed, so that every operation has exactly one encoding and every replica reads it alike.
 */
final class LedgerWire {

    private static final byte OPEN = 0x01;
    private static final byte DEPOSIT = 0x02;
    private static final byte TRANSFER = 0x03;
    private static final byte BALANCE = 0x04;
    private static final byte DONE = 0x00;
    private static final byte REFUSED = 0x01;
    private static final int MAX_OPERATION_BYTES = 1 + 2 * (1 + LedgerOp.MAX_ACCOUNT_BYTES) + Long.BYTES;

    private LedgerWire() {}

    static byte[] encode(LedgerOp operation) {
        ByteBuffer out = ByteBuffer.allocate(MAX_OPERATION_BYTES);
        if (operation instanceof LedgerOp.Open open) {
            out.put(OPEN);
            putName(out, open.account());
        } else if (operation instanceof LedgerOp.Deposit deposit) {
            out.put(DEPOSIT);
            putName(out, deposit.account());
            out.putLong(deposit.amount());
        } else if (operation instanceof LedgerOp.Transfer transfer) {
            out.put(TRANSFER);
            putName(out, transfer.from());
            putName(out, transfer.to());
            out.putLong(transfer.amount());
        } else if (operation instanceof LedgerOp.Balance balance) {
            out.put(BALANCE);
            putName(out, balance.account());
        } else {
            throw new IllegalArgumentException("not a ledger operation: " + operation);
        }
        return copyWritten(out);
    }

    /** The operation in {@code bytes}, or empty if they are not exactly one well-formed operation. */
    static Optional<LedgerOp> decodeOperation(byte[] bytes) {
        if (bytes == null || bytes.length == 0 || bytes.length > MAX_OPERATION_BYTES) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            LedgerOp operation = switch (in.get()) {
                case OPEN -> new LedgerOp.Open(name(in));
                case DEPOSIT -> new LedgerOp.Deposit(name(in), in.getLong());
                case TRANSFER -> new LedgerOp.Transfer(name(in), name(in), in.getLong());
                case BALANCE -> new LedgerOp.Balance(name(in));
                default -> null;
            };
            return in.hasRemaining() ? Optional.empty() : Optional.ofNullable(operation);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            // Too short, a bad name or a non-positive amount: the records refuse what is not an operation.
            return Optional.empty();
        }
    }

    static byte[] done(long balance) {
        return ByteBuffer.allocate(1 + Long.BYTES).put(DONE).putLong(balance).array();
    }

    static byte[] refused(LedgerResult.Reason reason) {
        return new byte[] {REFUSED, reason.code};
    }

    /** The result in {@code bytes}, or empty if they are not one. */
    static Optional<LedgerResult> decodeResult(byte[] bytes) {
        if (bytes != null && bytes.length == 1 + Long.BYTES && bytes[0] == DONE) {
            return Optional.of(new LedgerResult.Done(ByteBuffer.wrap(bytes, 1, Long.BYTES).getLong()));
        }
        if (bytes != null && bytes.length == 2 && bytes[0] == REFUSED) {
            return Optional.ofNullable(LedgerResult.Reason.of(bytes[1])).map(LedgerResult.Refused::new);
        }
        return Optional.empty();
    }

    static void putName(ByteBuffer out, String account) {
        byte[] name = account.getBytes(StandardCharsets.US_ASCII);
        out.put((byte) name.length).put(name);
    }

    /** A name as {@link #putName} wrote it; IllegalArgumentException if it is not a valid one. */
    static String name(ByteBuffer in) {
        int length = Byte.toUnsignedInt(in.get());
        if (length == 0 || length > LedgerOp.MAX_ACCOUNT_BYTES || length > in.remaining()) {
            throw new IllegalArgumentException("bad account name length " + length);
        }
        byte[] name = new byte[length];
        in.get(name);
        String account = new String(name, StandardCharsets.US_ASCII);
        if (!LedgerOp.isAccount(account)) {
            throw new IllegalArgumentException("bad account name");
        }
        return account;
    }

    static byte[] copyWritten(ByteBuffer out) {
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }
}
