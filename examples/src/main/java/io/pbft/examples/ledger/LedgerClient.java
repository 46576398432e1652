package io.pbft.examples.ledger;

import io.pbft.client.PbftClient;
import io.pbft.client.ServiceClient;
import java.util.concurrent.CompletableFuture;

/**
 * The ledger's typed client: one method per operation, each completing with a balance. The
 * client's identity (its {@link PbftClient} key) is who owns the accounts it opens.
 *
 * <pre>{@code
 * try (LedgerClient alice = new LedgerClient(PbftClient.builder().cluster(config).build())) {
 *     alice.open("alice").get();
 *     alice.deposit("alice", 10_000).get();            // 10000
 *     alice.transfer("alice", "bob", 2_500).get();     // 7500: alice's balance after
 * }
 * }</pre>
 *
 * A refused operation (no such account, not the owner, insufficient funds) completes the future
 * exceptionally with a {@link LedgerRefusedException}; the other failures are {@link
 * PbftClient#invoke}'s. Thread-safe.
 */
public final class LedgerClient implements AutoCloseable {

    private final ServiceClient<LedgerOp, Long> service;

    public LedgerClient(PbftClient client) {
        this.service = new ServiceClient<>(client, new LedgerCodec());
    }

    /** Opens {@code account}, owned by this client; completes with its balance, 0. */
    public CompletableFuture<Long> open(String account) {
        return service.invoke(new LedgerOp.Open(account));
    }

    /** Pays {@code amount} cents into {@code account}; completes with its new balance. */
    public CompletableFuture<Long> deposit(String account, long amount) {
        return service.invoke(new LedgerOp.Deposit(account, amount));
    }

    /** Moves {@code amount} cents from this client's {@code from} to {@code to}; completes with {@code from}'s new balance. */
    public CompletableFuture<Long> transfer(String from, String to, long amount) {
        return service.invoke(new LedgerOp.Transfer(from, to, amount));
    }

    /** The balance of {@code account}, ordered after every operation that completed before the call. */
    public CompletableFuture<Long> balance(String account) {
        return service.invoke(new LedgerOp.Balance(account));
    }

    /** This client's id: the owner of the accounts it opens. */
    public long clientId() {
        return service.client().clientId();
    }

    /** Closes the underlying {@link PbftClient}. */
    @Override
    public void close() {
        service.close();
    }
}
