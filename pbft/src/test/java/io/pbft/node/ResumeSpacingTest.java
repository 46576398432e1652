package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.ReplicaConfig;
import org.junit.jupiter.api.Test;

/**
 * When a paused client connection is read again (issue 10, item 3): a client that has more than
 * one request in the core beside other clients' waits for {@link PausedClients#SPACING} more sequence
 * numbers to execute than the one its requests would take, so it cannot have a batch of its own
 * after every execution; a client waiting for each reply, or alone, is not held.
 */
class ResumeSpacingTest {

    private static final long HIGHEST_ASSIGNED = 10;

    @Test
    void aClientWithOneRequestBesideOthersIsNotSpaced() {
        long until = PausedClients.spacedUntil(true, ReplicaConfig.CLIENT_WINDOW - 1, HIGHEST_ASSIGNED);

        assertThat(until).isEqualTo(PausedClients.NOT_SPACED);
        assertThat(PausedClients.spacingDone(until, HIGHEST_ASSIGNED - 1, false, true)).isTrue();
    }

    @Test
    void aClientWithSeveralRequestsBesideOthersWaitsForSpacingMoreSequenceNumbers() {
        long until = PausedClients.spacedUntil(true, ReplicaConfig.CLIENT_WINDOW - 4, HIGHEST_ASSIGNED);

        long ownBatch = HIGHEST_ASSIGNED + 1;
        for (long executed = HIGHEST_ASSIGNED; executed < ownBatch + PausedClients.SPACING; executed++) {
            assertThat(PausedClients.spacingDone(until, executed, false, true)).as("executed up to %d", executed).isFalse();
            assertThat(PausedClients.spacingDone(until, executed, true, true)).as("a tick while others are served").isFalse();
        }
        assertThat(PausedClients.spacingDone(until, ownBatch + PausedClients.SPACING, false, true)).isTrue();
    }

    @Test
    void aClientAloneIsNotSpacedWhateverItHasInTheCore() {
        assertThat(PausedClients.spacedUntil(false, 0, HIGHEST_ASSIGNED)).isEqualTo(PausedClients.NOT_SPACED);
    }

    @Test
    void aSpacedClientLeftAloneIsReadAgainAtTheNextTick() {
        long until = PausedClients.spacedUntil(true, 0, HIGHEST_ASSIGNED);

        assertThat(PausedClients.spacingDone(until, HIGHEST_ASSIGNED + 1, false, false))
                .as("between ticks, nobody may be served only for a moment").isFalse();
        assertThat(PausedClients.spacingDone(until, HIGHEST_ASSIGNED + 1, true, false)).isTrue();
    }
}
