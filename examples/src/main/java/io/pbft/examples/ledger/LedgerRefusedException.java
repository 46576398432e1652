package io.pbft.examples.ledger;

import io.pbft.client.ResultException;

/** The ledger refused an operation, which changed nothing; {@link #reason()} says why. */
public final class LedgerRefusedException extends ResultException {

    private final transient LedgerResult.Reason reason;

    public LedgerRefusedException(LedgerOp operation, LedgerResult.Reason reason) {
        super(operation + " refused: " + reason.description());
        this.reason = reason;
    }

    public LedgerResult.Reason reason() {
        return reason;
    }
}
