package io.pbft.examples;

import io.pbft.client.PbftClient;
import io.pbft.config.ClusterConfig;
import io.pbft.examples.ledger.LedgerClient;
import io.pbft.examples.ledger.LedgerRefusedException;
import io.pbft.examples.ledger.LedgerResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** A client of the ledger: typed calls, no bytes; a refusal is an exception with a reason. */
public final class PayAFriend {

    /** Opens {@code mine}, pays 100.00 into it and 25.00 on to {@code friend}; returns what is left. */
    public static long payAFriend(ClusterConfig config, String mine, String friend) throws Exception {
        try (LedgerClient ledger = new LedgerClient(PbftClient.builder().cluster(config).build())) {
            ledger.open(mine).get(); // owned by this client's identity: only it may pay out of it
            ledger.deposit(mine, 10_000).get();
            return ledger.transfer(mine, friend, 2_500).get(); // 7500: the payer's balance after
        }
    }

    /** Why the ledger refused {@code call}: NOT_OWNER, INSUFFICIENT_FUNDS...; an exception if it did not. */
    public static LedgerResult.Reason refusal(CompletableFuture<Long> call) throws Exception {
        try {
            call.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LedgerRefusedException refused) {
                return refused.reason(); // the operation changed nothing
            }
            throw e; // no answer in time, or the client closed: the outcome is unknown
        }
        throw new IllegalStateException("the ledger did not refuse");
    }

    private PayAFriend() {}
}
