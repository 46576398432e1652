package io.pbft.examples.ledger;

import io.pbft.chaos.check.Checker;
import io.pbft.chaos.check.ClientHistory;
import io.pbft.chaos.check.ClientOperation;
import io.pbft.chaos.check.RunHistory;
import io.pbft.chaos.check.Violation;
import io.pbft.core.Execution;
import io.pbft.core.message.Request;
import io.pbft.statemachine.RequestContext;
import io.pbft.statemachine.StateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The ledger's own invariants, over the order the correct replicas agreed on: a fresh copy of the
 * ledger under test executes that order, and plain bookkeeping beside it adds up what took effect:
 *
 * <ul>
 *   <li>money is conserved: after every operation the balances sum to the deposits that took effect;
 *   <li>no overdraft: no balance is ever negative, and no transfer larger than the payer's balance
 *       takes effect;
 *   <li>ownership: no transfer out of an account takes effect unless its opener sent it;
 *   <li>each balance the ledger holds is the sum of the deposits and transfers that took effect.
 * </ul>
 *
 * And every result a client accepted for a transfer leaves a balance that is not negative.
 */
final class LedgerInvariantChecker implements Checker {

    static final String NAME = "LedgerInvariants";

    private final Supplier<? extends StateMachine> model;

    /** {@code model} makes a fresh copy of the ledger the replicas run: the service under test. */
    LedgerInvariantChecker(Supplier<? extends StateMachine> model) {
        this.model = model;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(RunHistory history) {
        List<Violation> violations = new ArrayList<>();
        if (history.correctReplicas().isEmpty()) {
            return violations;
        }
        StateMachine ledger = model.get();
        SortedMap<String, Long> owners = new TreeMap<>();
        SortedMap<String, Long> balances = new TreeMap<>();
        long deposited = 0;
        for (Execution execution : history.agreedExecutions()) {
            for (Request request : execution.requests()) {
                byte[] bytes = request.operation().toByteArray();
                Optional<LedgerOp> op = LedgerWire.decodeOperation(bytes);
                LedgerResult result = LedgerWire.decodeResult(ledger.execute(bytes,
                        new RequestContext(request.clientId(), execution.sequence(), execution.timestampMillis())))
                        .orElseThrow();
                if (op.isEmpty() || !(result instanceof LedgerResult.Done)) {
                    continue;
                }
                String where = "at sequence number " + execution.sequence() + ", " + op.get() + " by client "
                        + request.clientId();
                if (op.get() instanceof LedgerOp.Open open) {
                    owners.put(open.account(), request.clientId());
                    balances.put(open.account(), 0L);
                } else if (op.get() instanceof LedgerOp.Deposit deposit) {
                    deposited += deposit.amount();
                    balances.merge(deposit.account(), deposit.amount(), Long::sum);
                } else if (op.get() instanceof LedgerOp.Transfer transfer) {
                    checkTransfer(transfer, request.clientId(), owners, balances, where, violations);
                }
                long total = 0;
                for (SortedMap.Entry<String, Long> kept : balances.entrySet()) {
                    long balance = balanceOf(ledger, kept.getKey());
                    total += balance;
                    if (balance < 0) {
                        violations.add(new Violation(NAME, where + ": " + kept.getKey() + " overdrawn to " + balance));
                    } else if (balance != kept.getValue()) {
                        violations.add(new Violation(NAME, where + ": the ledger says " + kept.getKey() + " holds "
                                + balance + ", the operations that took effect add up to " + kept.getValue()));
                    }
                }
                if (total != deposited) {
                    violations.add(new Violation(NAME, where + ": the balances sum to " + total + " but "
                            + deposited + " was deposited"));
                }
            }
        }
        checkAcceptedTransfers(history, violations);
        return violations;
    }

    private static void checkTransfer(LedgerOp.Transfer transfer, long client, SortedMap<String, Long> owners,
            SortedMap<String, Long> balances, String where, List<Violation> violations) {
        if (!Long.valueOf(client).equals(owners.get(transfer.from()))) {
            violations.add(new Violation(NAME, where + " took effect, but " + transfer.from() + " is client "
                    + owners.get(transfer.from()) + "'s"));
        }
        long payerBalance = balances.getOrDefault(transfer.from(), 0L);
        if (payerBalance < transfer.amount()) {
            violations.add(new Violation(NAME, where + " took effect with only " + payerBalance + " to pay from"));
        }
        balances.put(transfer.from(), payerBalance - transfer.amount());
        balances.merge(transfer.to(), transfer.amount(), Long::sum);
    }

    private static void checkAcceptedTransfers(RunHistory history, List<Violation> violations) {
        for (ClientHistory client : history.clients()) {
            for (ClientOperation op : client.operations()) {
                Optional<LedgerResult> result = LedgerWire.decodeResult(op.result().toByteArray());
                if (op.completed() && result.isPresent() && result.get() instanceof LedgerResult.Done done
                        && done.balance() < 0) {
                    violations.add(new Violation(NAME, op + " was answered with balance " + done.balance()));
                }
            }
        }
    }

    private static long balanceOf(StateMachine ledger, String account) {
        LedgerResult result = LedgerWire.decodeResult(ledger.query(LedgerWire.encode(new LedgerOp.Balance(account))))
                .orElseThrow();
        return result instanceof LedgerResult.Done done ? done.balance() : Long.MIN_VALUE;
    }
}
