package io.pbft.examples.ledger;

import io.pbft.client.Codec;
import io.pbft.client.ResultException;
import java.util.HexFormat;

/**
 * The ledger's {@link Codec}: a {@link LedgerOp} in, the balance it answers out. A refusal
 * decodes to a {@link LedgerRefusedException}, so a caller's success path sees balances only.
 */
public final class LedgerCodec implements Codec<LedgerOp, Long> {

    @Override
    public byte[] encode(LedgerOp operation) {
        return LedgerWire.encode(operation);
    }

    @Override
    public Long decode(LedgerOp operation, byte[] result) throws ResultException {
        LedgerResult decoded = LedgerWire.decodeResult(result).orElseThrow(() -> new ResultException(
                operation + ": the replicas answered " + HexFormat.of().formatHex(result)
                        + ", which is not a ledger result (do they run LedgerStateMachine?)"));
        if (decoded instanceof LedgerResult.Refused refused) {
            throw new LedgerRefusedException(operation, refused.reason());
        }
        return ((LedgerResult.Done) decoded).balance();
    }
}
