package io.pbft.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PreparedSlotsTest {

    private final PreparedSlots slots = new PreparedSlots(8);

    @Test
    void nothingIsPreparedAtFirst() {
        assertThat(slots.isPrepared(0, 0)).isFalse();
        assertThat(slots.isPrepared(0, 1)).isFalse();
    }

    @Test
    void aMarkedSlotIsPreparedInItsViewOnly() {
        slots.markPrepared(2, 5);

        assertThat(slots.isPrepared(2, 5)).isTrue();
        assertThat(slots.isPrepared(1, 5)).isFalse();
        assertThat(slots.isPrepared(3, 5)).isFalse();
        assertThat(slots.isPrepared(2, 6)).isFalse();
    }

    @Test
    void aSequenceNumberSharingARingEntryDoesNotPassForAnother() {
        slots.markPrepared(0, 3);

        assertThat(slots.isPrepared(0, 3 + 8)).isFalse();

        slots.markPrepared(0, 3 + 8);

        assertThat(slots.isPrepared(0, 3 + 8)).isTrue();
        assertThat(slots.isPrepared(0, 3)).as("forgotten: its prepares are checked again, which is safe").isFalse();
    }

    @Test
    void refusesANonPositiveCapacity() {
        assertThatThrownBy(() -> new PreparedSlots(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
