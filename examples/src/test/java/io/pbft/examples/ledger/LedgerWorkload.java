package io.pbft.examples.ledger;

import com.google.protobuf.ByteString;
import io.pbft.chaos.check.Checker;
import io.pbft.chaos.check.Checkers;
import io.pbft.chaos.sim.Simulation;
import io.pbft.chaos.sim.Workload;
import io.pbft.statemachine.StateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The ledger in the simulator: each client opens its own account, pays money in, then transfers to
 * the others' accounts, reads balances, deposits more, and now and then tries to pay out of an
 * account it does not own. Amounts are drawn so that some transfers would overdraw. Judged by the
 * standard checkers and by {@link LedgerInvariantChecker}.
 */
final class LedgerWorkload implements Workload {

    private static final int TRANSFER_PERCENT = 55;
    private static final int BALANCE_PERCENT = 20;
    private static final int DEPOSIT_PERCENT = 15;
    private static final int MAX_DEPOSIT = 500;
    private static final int MAX_TRANSFER = 400;

    private final int clients;
    private final Supplier<? extends StateMachine> service;

    /** For a run of {@code clients} honest clients, with ids from {@link Simulation#FIRST_CLIENT_ID}. */
    LedgerWorkload(int clients) {
        this(clients, LedgerStateMachine::new);
    }

    /** As {@link #LedgerWorkload(int)}, against {@code service}: a ledger a test has broken on purpose. */
    LedgerWorkload(int clients, Supplier<? extends StateMachine> service) {
        this.clients = clients;
        this.service = service;
    }

    static String accountOf(long clientId) {
        return "acct-" + clientId;
    }

    @Override
    public StateMachine newService() {
        return service.get();
    }

    @Override
    public ClientOperations client(long clientId) {
        return new ClientOperations() {
            private int issued;

            @Override
            public Operation next(Random random, long timestamp) {
                int step = issued++;
                String own = accountOf(clientId);
                if (step == 0) {
                    return operation(new LedgerOp.Open(own));
                }
                if (step == 1) {
                    return operation(new LedgerOp.Deposit(own, 1 + random.nextInt(MAX_DEPOSIT)));
                }
                int roll = random.nextInt(100);
                String other = accountOf(Simulation.FIRST_CLIENT_ID + random.nextInt(Math.max(1, clients)));
                if (roll < TRANSFER_PERCENT) {
                    return operation(new LedgerOp.Transfer(own, other, 1 + random.nextInt(MAX_TRANSFER)));
                }
                if (roll < TRANSFER_PERCENT + BALANCE_PERCENT) {
                    return operation(new LedgerOp.Balance(other));
                }
                if (roll < TRANSFER_PERCENT + BALANCE_PERCENT + DEPOSIT_PERCENT) {
                    return operation(new LedgerOp.Deposit(other, 1 + random.nextInt(MAX_DEPOSIT)));
                }
                return operation(new LedgerOp.Transfer(other, own, 1)); // a theft, unless other is its own
            }

            @Override
            public void onResult(Operation operation, ByteString result) {
                // A closed loop that does not adapt: what the ledger answered is the checkers' to judge.
            }
        };
    }

    @Override
    public List<Checker> checkers() {
        List<Checker> checkers = new ArrayList<>(Checkers.all(this::newService));
        checkers.add(new LedgerInvariantChecker(this::newService));
        return checkers;
    }

    private static Operation operation(LedgerOp op) {
        return new Operation(op.toString(), ByteString.copyFrom(LedgerWire.encode(op)));
    }
}
