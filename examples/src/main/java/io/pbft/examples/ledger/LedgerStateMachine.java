package io.pbft.examples.ledger;

import io.pbft.crypto.Digests;
import io.pbft.statemachine.RequestContext;
import io.pbft.statemachine.StateMachine;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A replicated bank ledger: accounts with an owner and a balance in cents; deposits; transfers
 * that never overdraw; balance reads. The client that opens an account owns it, as the
 * authenticated client id of the {@link RequestContext} says, and only the owner may transfer
 * out of it. Money enters only by deposits, and a transfer moves it, so the sum of the balances
 * is the sum of the deposits.
 *
 * <p>Run four replicas of it with {@code scripts/pbft replica --service
 * io.pbft.examples.ledger.LedgerStateMachine} (the class path must hold this module's jar: see
 * {@link LedgerReplica}), and call it with a {@link LedgerClient}.
 *
 * <p>What makes it a correct {@link StateMachine}: accounts in a {@link TreeMap}, so the snapshot
 * and the digest do not depend on hash order; every malformed or disallowed operation answered
 * with a {@link LedgerResult.Refused} result that changes nothing; no clock, no randomness; a
 * bounded number of accounts, since clients (possibly Byzantine ones) open them.
 */
public final class LedgerStateMachine implements StateMachine {

    /** Bounds the memory a client can make every replica spend by opening accounts. */
    public static final int MAX_ACCOUNTS = 100_000;

    private static final byte SNAPSHOT_VERSION = 1;
    private static final byte[] DIGEST_TAG = "pbft.examples.ledger.v1".getBytes(StandardCharsets.US_ASCII);

    private record Account(long owner, long balance) {}

    private final SortedMap<String, Account> accounts = new TreeMap<>();

    /** An empty ledger: the service launcher's way to make one. */
    public LedgerStateMachine() {}

    @Override
    public byte[] execute(byte[] operation, RequestContext context) {
        Optional<LedgerOp> decoded = LedgerWire.decodeOperation(operation);
        if (decoded.isEmpty()) {
            return LedgerWire.refused(LedgerResult.Reason.MALFORMED);
        }
        LedgerOp op = decoded.get();
        if (op instanceof LedgerOp.Open open) {
            return open(open.account(), context.clientId());
        }
        if (op instanceof LedgerOp.Deposit deposit) {
            return deposit(deposit.account(), deposit.amount());
        }
        if (op instanceof LedgerOp.Transfer transfer) {
            return transfer(transfer, context.clientId());
        }
        return balance(((LedgerOp.Balance) op).account());
    }

    /** Without a context no owner is known, so nothing is executed; the library always gives one. */
    @Override
    public byte[] execute(byte[] operation) {
        return LedgerWire.refused(LedgerResult.Reason.NO_CONTEXT);
    }

    @Override
    public byte[] query(byte[] operation) {
        Optional<LedgerOp> decoded = LedgerWire.decodeOperation(operation);
        if (decoded.isEmpty()) {
            return LedgerWire.refused(LedgerResult.Reason.MALFORMED);
        }
        if (decoded.get() instanceof LedgerOp.Balance balance) {
            return balance(balance.account());
        }
        return LedgerWire.refused(LedgerResult.Reason.NOT_READ_ONLY);
    }

    private byte[] open(String account, long owner) {
        if (accounts.containsKey(account)) {
            return LedgerWire.refused(LedgerResult.Reason.ACCOUNT_EXISTS);
        }
        if (accounts.size() >= MAX_ACCOUNTS) {
            return LedgerWire.refused(LedgerResult.Reason.LEDGER_FULL);
        }
        accounts.put(account, new Account(owner, 0));
        return LedgerWire.done(0);
    }

    private byte[] deposit(String account, long amount) {
        Account current = accounts.get(account);
        if (current == null) {
            return LedgerWire.refused(LedgerResult.Reason.NO_SUCH_ACCOUNT);
        }
        if (current.balance() > Long.MAX_VALUE - amount) {
            return LedgerWire.refused(LedgerResult.Reason.TOO_MUCH_MONEY);
        }
        Account after = new Account(current.owner(), current.balance() + amount);
        accounts.put(account, after);
        return LedgerWire.done(after.balance());
    }

    private byte[] transfer(LedgerOp.Transfer transfer, long client) {
        Account from = accounts.get(transfer.from());
        Account to = accounts.get(transfer.to());
        if (from == null || to == null) {
            return LedgerWire.refused(LedgerResult.Reason.NO_SUCH_ACCOUNT);
        }
        if (from.owner() != client) {
            return LedgerWire.refused(LedgerResult.Reason.NOT_OWNER);
        }
        if (from.balance() < transfer.amount()) {
            return LedgerWire.refused(LedgerResult.Reason.INSUFFICIENT_FUNDS);
        }
        if (transfer.from().equals(transfer.to())) {
            return LedgerWire.done(from.balance()); // covered and owned: moving money to itself changes nothing
        }
        if (to.balance() > Long.MAX_VALUE - transfer.amount()) {
            return LedgerWire.refused(LedgerResult.Reason.TOO_MUCH_MONEY);
        }
        Account paid = new Account(from.owner(), from.balance() - transfer.amount());
        accounts.put(transfer.from(), paid);
        accounts.put(transfer.to(), new Account(to.owner(), to.balance() + transfer.amount()));
        return LedgerWire.done(paid.balance());
    }

    private byte[] balance(String account) {
        Account current = accounts.get(account);
        return current == null
                ? LedgerWire.refused(LedgerResult.Reason.NO_SUCH_ACCOUNT)
                : LedgerWire.done(current.balance());
    }

    @Override
    public byte[] stateDigest() {
        return Digests.sha256(DIGEST_TAG, snapshot());
    }

    /** Version, account count, then each account in name order: name, owner, balance. */
    @Override
    public byte[] snapshot() {
        int perAccount = 1 + LedgerOp.MAX_ACCOUNT_BYTES + 2 * Long.BYTES;
        ByteBuffer out = ByteBuffer.allocate(1 + Integer.BYTES + accounts.size() * perAccount);
        out.put(SNAPSHOT_VERSION).putInt(accounts.size());
        for (Map.Entry<String, Account> entry : accounts.entrySet()) {
            LedgerWire.putName(out, entry.getKey());
            out.putLong(entry.getValue().owner()).putLong(entry.getValue().balance());
        }
        return LedgerWire.copyWritten(out);
    }

    /** Checks the whole snapshot before it replaces anything: a bad one leaves the ledger as it was. */
    @Override
    public void restore(byte[] snapshot) {
        SortedMap<String, Account> restored = new TreeMap<>();
        try {
            ByteBuffer in = ByteBuffer.wrap(snapshot);
            if (in.get() != SNAPSHOT_VERSION) {
                throw new IllegalArgumentException("ledger snapshot of an unknown version");
            }
            int count = in.getInt();
            if (count < 0 || count > MAX_ACCOUNTS) {
                throw new IllegalArgumentException("ledger snapshot with " + count + " accounts");
            }
            String previous = "";
            for (int i = 0; i < count; i++) {
                String name = LedgerWire.name(in);
                Account account = new Account(in.getLong(), in.getLong());
                if (name.compareTo(previous) <= 0 || account.balance() < 0) {
                    throw new IllegalArgumentException("ledger snapshot out of order or with a negative balance");
                }
                restored.put(name, account);
                previous = name;
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("ledger snapshot with trailing bytes");
            }
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("ledger snapshot cut short", e);
        }
        accounts.clear();
        accounts.putAll(restored);
    }
}
