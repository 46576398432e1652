package io.pbft.examples.ledger;

import java.nio.charset.StandardCharsets;

/**
 * An operation of the {@link LedgerStateMachine bank ledger}. Amounts are whole cents, always
 * positive; account names are 1 to {@value #MAX_ACCOUNT_BYTES} characters of {@code [a-z0-9_-]},
 * so that a name has one encoding and two replicas can never read one operation differently.
 */
public sealed interface LedgerOp {

    int MAX_ACCOUNT_BYTES = 32;

    /** Opens {@code account}, empty, owned by the client that sends this. */
    record Open(String account) implements LedgerOp {
        public Open {
            requireAccount(account);
        }
    }

    /** Adds {@code amount} to {@code account}: anyone may pay money in. */
    record Deposit(String account, long amount) implements LedgerOp {
        public Deposit {
            requireAccount(account);
            requireAmount(amount);
        }
    }

    /** Moves {@code amount} from {@code from} to {@code to}; only {@code from}'s owner may, and never into the red. */
    record Transfer(String from, String to, long amount) implements LedgerOp {
        public Transfer {
            requireAccount(from);
            requireAccount(to);
            requireAmount(amount);
        }
    }

    /** Reads {@code account}'s balance; changes nothing. */
    record Balance(String account) implements LedgerOp {
        public Balance {
            requireAccount(account);
        }
    }

    /** Whether {@code account} is a valid account name. */
    static boolean isAccount(String account) {
        if (account == null || account.isEmpty() || account.length() > MAX_ACCOUNT_BYTES) {
            return false;
        }
        for (byte b : account.getBytes(StandardCharsets.US_ASCII)) {
            boolean allowed = (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '_' || b == '-';
            if (!allowed) {
                return false;
            }
        }
        // getBytes replaces a non-ASCII character with '?', which is not allowed: caught above.
        return true;
    }

    private static void requireAccount(String account) {
        if (!isAccount(account)) {
            throw new IllegalArgumentException("account name '" + account + "' is not 1 to " + MAX_ACCOUNT_BYTES
                    + " characters of a-z, 0-9, _ and -");
        }
    }

    private static void requireAmount(long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("an amount must be positive, was " + amount);
        }
    }
}
