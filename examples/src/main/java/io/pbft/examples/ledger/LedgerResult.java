package io.pbft.examples.ledger;

import java.util.Objects;

/** What the ledger answers to a {@link LedgerOp}: a balance, or the reason it refused. */
public sealed interface LedgerResult {

    /**
     * The operation took effect (or, for a balance read, was answered).
     *
     * @param balance the balance, after the operation, of the account it names first: the opened
     *     one, the one paid into, the one a transfer is paid from, or the one read
     */
    record Done(long balance) implements LedgerResult {}

    /** The operation was refused and changed nothing. */
    record Refused(Reason reason) implements LedgerResult {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why an operation was refused; the code is its byte on the wire and never changes. */
    enum Reason {
        MALFORMED(1, "the operation is not a ledger operation"),
        NO_SUCH_ACCOUNT(2, "no such account"),
        ACCOUNT_EXISTS(3, "the account already exists"),
        NOT_OWNER(4, "only the account's owner may transfer out of it"),
        INSUFFICIENT_FUNDS(5, "the balance does not cover the amount"),
        TOO_MUCH_MONEY(6, "the balance would overflow"),
        LEDGER_FULL(7, "the ledger holds as many accounts as it may"),
        NOT_READ_ONLY(8, "only a balance read may run as a read-only query"),
        NO_CONTEXT(9, "the ledger needs the client's identity (execute with a RequestContext)");

        final byte code;
        private final String description;

        Reason(int code, String description) {
            this.code = (byte) code;
            this.description = description;
        }

        /** The reason in words, for messages. */
        public String description() {
            return description;
        }

        /** The reason with wire code {@code code}, or null for an unknown one. */
        static Reason of(byte code) {
            for (Reason reason : values()) {
                if (reason.code == code) {
                    return reason;
                }
            }
            return null;
        }
    }
}
