package io.pbft.statemachine.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.statemachine.StateMachine;
import org.junit.jupiter.api.Test;

class CounterStateMachineTest {

    private final CounterStateMachine counter = new CounterStateMachine();

    @Test
    void incrementAnswersTheNewValue() {
        assertThat(CounterStateMachine.valueOf(counter.execute(CounterStateMachine.increment(5)))).hasValue(5);
        assertThat(CounterStateMachine.valueOf(counter.execute(CounterStateMachine.increment(-2)))).hasValue(3);
        assertThat(CounterStateMachine.valueOf(counter.execute(CounterStateMachine.read()))).hasValue(3);
    }

    @Test
    void readViaQueryAnswersLikeExecuteAndIncrementViaQueryIsRejected() {
        counter.execute(CounterStateMachine.increment(7));
        byte[] digest = counter.stateDigest();

        assertThat(counter.query(CounterStateMachine.read())).isEqualTo(counter.execute(CounterStateMachine.read()));
        assertThat(CounterStateMachine.valueOf(counter.query(CounterStateMachine.increment(1)))).isEmpty();
        assertThat(counter.stateDigest()).isEqualTo(digest);
    }

    @Test
    void malformedOperationsAndOverflowAreRejectedWithoutChange() {
        counter.execute(CounterStateMachine.increment(Long.MAX_VALUE));
        byte[] digest = counter.stateDigest();

        for (byte[] bad : new byte[][] {null, {}, {0x01}, {0x07}, CounterStateMachine.increment(1)}) {
            assertThat(CounterStateMachine.valueOf(counter.execute(bad))).isEmpty();
        }
        assertThat(counter.stateDigest()).isEqualTo(digest);
    }

    @Test
    void snapshotRestoresIntoAFreshCounterWithEqualDigest() {
        counter.execute(CounterStateMachine.increment(42));
        CounterStateMachine fresh = new CounterStateMachine();

        fresh.restore(counter.snapshot());

        assertThat(fresh.stateDigest()).hasSize(StateMachine.DIGEST_BYTES).isEqualTo(counter.stateDigest());
        assertThat(fresh.execute(CounterStateMachine.read())).isEqualTo(counter.execute(CounterStateMachine.read()));
    }

    @Test
    void restoreOfMalformedSnapshotThrowsAndKeepsTheValue() {
        counter.execute(CounterStateMachine.increment(9));

        assertThatThrownBy(() -> counter.restore(new byte[3])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> counter.restore(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(CounterStateMachine.valueOf(counter.execute(CounterStateMachine.read()))).hasValue(9);
    }

    @Test
    void digestDiffersWhenTheValueDiffers() {
        CounterStateMachine other = new CounterStateMachine();
        other.execute(CounterStateMachine.increment(1));

        assertThat(other.stateDigest()).isNotEqualTo(counter.stateDigest());
    }

    @Test
    void valueOfGarbageIsEmpty() {
        assertThat(CounterStateMachine.valueOf(null)).isEmpty();
        assertThat(CounterStateMachine.valueOf(new byte[] {0x00, 0x01})).isEmpty();
    }
}
