package io.pbft.examples.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.pbft.statemachine.RequestContext;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ledger's rules on one replica's copy, without the network. */
class LedgerStateMachineTest {

    private static final long ALICE = 7;
    private static final long BOB = 8;

    private final LedgerStateMachine ledger = new LedgerStateMachine();
    private long sequence;

    private LedgerResult run(long client, LedgerOp operation) {
        byte[] result = ledger.execute(LedgerWire.encode(operation), new RequestContext(client, ++sequence, 0));
        return LedgerWire.decodeResult(result).orElseThrow();
    }

    private static LedgerResult done(long balance) {
        return new LedgerResult.Done(balance);
    }

    private static LedgerResult refused(LedgerResult.Reason reason) {
        return new LedgerResult.Refused(reason);
    }

    private void aliceAndBobWithMoney() {
        run(ALICE, new LedgerOp.Open("alice"));
        run(BOB, new LedgerOp.Open("bob"));
        run(BOB, new LedgerOp.Deposit("alice", 100));
    }

    @Test
    void aTransferMovesMoneyAndAnswersThePayersBalance() {
        aliceAndBobWithMoney();

        assertThat(run(ALICE, new LedgerOp.Transfer("alice", "bob", 30))).isEqualTo(done(70));
        assertThat(run(BOB, new LedgerOp.Balance("bob"))).isEqualTo(done(30));
        assertThat(ledger.query(LedgerWire.encode(new LedgerOp.Balance("alice")))).isEqualTo(LedgerWire.done(70));
    }

    @Test
    void onlyTheOwnerPaysOutAndNeverIntoTheRed() {
        aliceAndBobWithMoney();
        byte[] before = ledger.stateDigest();

        assertThat(run(BOB, new LedgerOp.Transfer("alice", "bob", 1))).isEqualTo(refused(LedgerResult.Reason.NOT_OWNER));
        assertThat(run(ALICE, new LedgerOp.Transfer("alice", "bob", 101)))
                .isEqualTo(refused(LedgerResult.Reason.INSUFFICIENT_FUNDS));
        assertThat(run(ALICE, new LedgerOp.Transfer("alice", "carol", 1)))
                .isEqualTo(refused(LedgerResult.Reason.NO_SUCH_ACCOUNT));
        assertThat(run(BOB, new LedgerOp.Open("alice"))).isEqualTo(refused(LedgerResult.Reason.ACCOUNT_EXISTS));
        assertThat(run(ALICE, new LedgerOp.Deposit("alice", Long.MAX_VALUE)))
                .isEqualTo(refused(LedgerResult.Reason.TOO_MUCH_MONEY));
        assertThat(ledger.stateDigest()).as("refusals change nothing").isEqualTo(before);
    }

    @Test
    void malformedOperationsAreRefusedAndChangeNothing() {
        aliceAndBobWithMoney();
        byte[] before = ledger.snapshot();
        byte[] transfer = LedgerWire.encode(new LedgerOp.Transfer("alice", "bob", 5));
        byte[] zeroAmount = transfer.clone();
        Arrays.fill(zeroAmount, zeroAmount.length - Long.BYTES, zeroAmount.length, (byte) 0);
        byte[] upperCase = LedgerWire.encode(new LedgerOp.Open("abc"));
        upperCase[2] = 'A';
        Random random = new Random(12);

        for (byte[] bad : new byte[][] {{}, {0x09}, Arrays.copyOf(transfer, transfer.length + 1),
                Arrays.copyOf(transfer, transfer.length - 1), zeroAmount, upperCase}) {
            assertThat(LedgerWire.decodeResult(ledger.execute(bad, new RequestContext(ALICE, 1, 0))))
                    .as("%s", Arrays.toString(bad)).contains(refused(LedgerResult.Reason.MALFORMED));
        }
        for (int i = 0; i < 1_000; i++) {
            byte[] noise = new byte[random.nextInt(80)];
            random.nextBytes(noise);
            assertThat(LedgerWire.decodeResult(ledger.execute(noise, new RequestContext(BOB, 1, 0)))).isPresent();
        }
        assertThat(run(ALICE, new LedgerOp.Balance("alice"))).as("noise moved no money").isEqualTo(done(100));
        assertThat(ledger.execute(transfer)).as("no context, no owner")
                .isEqualTo(LedgerWire.refused(LedgerResult.Reason.NO_CONTEXT));
        assertThat(ledger.query(transfer)).isEqualTo(LedgerWire.refused(LedgerResult.Reason.NOT_READ_ONLY));
        // This seed's noise holds no well-formed operation (one in 256 starts as an open; few go on as one).
        assertThat(ledger.snapshot()).isEqualTo(before);
    }

    @Test
    void aRestoredLedgerHasTheSameDigestAndAnswersAlike() {
        aliceAndBobWithMoney();
        run(ALICE, new LedgerOp.Transfer("alice", "bob", 40));

        LedgerStateMachine copy = new LedgerStateMachine();
        copy.restore(ledger.snapshot());

        assertThat(copy.stateDigest()).isEqualTo(ledger.stateDigest()).hasSize(32);
        byte[] next = LedgerWire.encode(new LedgerOp.Transfer("bob", "alice", 40));
        assertThat(copy.execute(next, new RequestContext(BOB, 9, 0)))
                .isEqualTo(ledger.execute(next, new RequestContext(BOB, 9, 0)));
    }

    @Test
    void aBadSnapshotIsRefusedAndTheLedgerKeptAsItWas() {
        aliceAndBobWithMoney();
        byte[] digest = ledger.stateDigest();
        byte[] snapshot = ledger.snapshot();

        assertThatIllegalArgumentException().isThrownBy(() -> ledger.restore(new byte[0]));
        assertThatIllegalArgumentException().isThrownBy(() -> ledger.restore(Arrays.copyOf(snapshot, snapshot.length - 1)));
        assertThatIllegalArgumentException().isThrownBy(() -> ledger.restore(Arrays.copyOf(snapshot, snapshot.length + 1)));
        byte[] negative = snapshot.clone();
        negative[negative.length - Long.BYTES] = (byte) 0x80; // bob's balance, the last field, made negative
        assertThatIllegalArgumentException().isThrownBy(() -> ledger.restore(negative));
        assertThat(ledger.stateDigest()).isEqualTo(digest);
    }

    @Test
    void operationsRoundTripThroughTheWireAndBadNamesAreRefusedAtTheCaller() {
        for (LedgerOp op : new LedgerOp[] {new LedgerOp.Open("a"), new LedgerOp.Deposit("b_1", 5),
                new LedgerOp.Transfer("x-y", "z", Long.MAX_VALUE), new LedgerOp.Balance("q".repeat(32))}) {
            assertThat(LedgerWire.decodeOperation(LedgerWire.encode(op))).contains(op);
        }
        assertThatIllegalArgumentException().isThrownBy(() -> new LedgerOp.Open("Alice"));
        assertThatIllegalArgumentException().isThrownBy(() -> new LedgerOp.Open("é"));
        assertThatIllegalArgumentException().isThrownBy(() -> new LedgerOp.Open("q".repeat(33)));
        assertThatIllegalArgumentException().isThrownBy(() -> new LedgerOp.Deposit("a", 0));
    }
}
