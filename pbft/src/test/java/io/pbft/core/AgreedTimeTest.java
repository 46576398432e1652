package io.pbft.core;

import static io.pbft.core.CoreFixtures.commit;
import static io.pbft.core.CoreFixtures.config;
import static io.pbft.core.CoreFixtures.prePrepareAt;
import static io.pbft.core.CoreFixtures.prepare;
import static io.pbft.core.CoreFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.ReplicaMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agreed time of a batch: the primary proposes its clock's time, never below the batch before;
 * a backup accepts it only within the clock skew of its own clock and in order with the batches it
 * holds around it; the execution carries it.
 */
class AgreedTimeTest {

    private static final long SKEW = ReplicaConfig.DEFAULT_MAX_CLOCK_SKEW_MILLIS;
    /** The backup's clock, far from zero as the node's (milliseconds since the epoch) is. */
    private static final long NOW = 1_700_000_000_000L;

    private final Replica backup = CoreFixtures.replica(config(1));

    private Effects deliver(int from, ReplicaMessage message) {
        return CoreFixtures.deliver(backup, from, message, NOW);
    }

    private static PrePrepare at(long sequence, long timestampMillis) {
        return prePrepareAt(0, sequence, 0, timestampMillis, request(7, sequence));
    }

    @Test
    void aBackupPreparesATimeWithinTheSkewOfItsClock() {
        PrePrepare ahead = at(1, NOW + SKEW);
        PrePrepare behind = at(2, NOW + SKEW); // not before the batch below it

        assertThat(CoreFixtures.sent(deliver(0, ahead))).containsExactly(prepare(ahead, 1));
        assertThat(CoreFixtures.sent(deliver(0, behind))).containsExactly(prepare(behind, 1));
        assertThat(backup.rejections().total()).isZero();
    }

    @Test
    void aBackupRejectsATimeBeyondTheSkewOfItsClockAsAnInvalidPrePrepare() {
        assertThat(CoreFixtures.sent(deliver(0, at(1, NOW + SKEW + 1)))).isEmpty();
        assertThat(CoreFixtures.sent(deliver(0, at(2, NOW - SKEW - 1)))).isEmpty();

        assertThat(backup.rejections().count(Rejection.UNACCEPTABLE_TIMESTAMP)).isEqualTo(2);
    }

    @Test
    void theSkewABackupAcceptsIsTheOneItsConfigurationSays() {
        Replica strict = CoreFixtures.replica(config(1).withMaxClockSkew(1_000));
        PrePrepare within = at(1, NOW + 1_000);
        PrePrepare beyond = at(2, NOW + 1_001);

        assertThat(CoreFixtures.sent(CoreFixtures.deliver(strict, 0, within, NOW))).containsExactly(prepare(within, 1));
        assertThat(CoreFixtures.sent(CoreFixtures.deliver(strict, 0, beyond, NOW))).isEmpty();
        assertThat(strict.rejections().count(Rejection.UNACCEPTABLE_TIMESTAMP)).isEqualTo(1);
    }

    @Test
    void aBackupRejectsATimeOutOfOrderWithTheBatchesItHoldsAroundIt() {
        deliver(0, at(2, NOW + 10));
        deliver(0, at(5, NOW + 20));

        assertThat(CoreFixtures.sent(deliver(0, at(3, NOW + 5)))).isEmpty(); // before sequence 2's
        assertThat(CoreFixtures.sent(deliver(0, at(1, NOW + 15)))).isEmpty(); // after sequence 2's
        assertThat(CoreFixtures.sent(deliver(0, at(6, NOW + 15)))).isEmpty(); // before sequence 5's
        PrePrepare between = at(4, NOW + 15);
        assertThat(CoreFixtures.sent(deliver(0, between))).containsExactly(prepare(between, 1));
        assertThat(backup.rejections().count(Rejection.UNACCEPTABLE_TIMESTAMP)).isEqualTo(3);
    }

    @Test
    void aPrePrepareWhoseTimeThisBackupRejectedIsPreparedOnceTwoFOthersVouchForIt() {
        // Sent long ago, or by a primary whose clock this backup's disagrees with.
        PrePrepare old = at(1, NOW - SKEW - 1);
        assertThat(CoreFixtures.sent(deliver(0, old))).isEmpty();

        deliver(2, prepare(old, 2));
        Effects vouched = deliver(3, prepare(old, 3));

        // Prepared on the others' word: it commits, and sends its own prepare for the others too.
        assertThat(CoreFixtures.sent(vouched)).contains(prepare(old, 1), commit(old, 1));
        assertThat(backup.rejections().count(Rejection.UNACCEPTABLE_TIMESTAMP)).isEqualTo(1);
    }

    @Test
    void theExecutionCarriesTheAgreedTime() {
        PrePrepare pp = at(1, NOW - 3);
        deliver(0, pp);
        deliver(2, prepare(pp, 2));
        deliver(0, commit(pp, 0));
        Effects committed = deliver(2, commit(pp, 2));

        assertThat(committed.executions()).singleElement().satisfies(execution -> {
            assertThat(execution.sequence()).isEqualTo(1);
            assertThat(execution.timestampMillis()).isEqualTo(NOW - 3);
        });
    }

    @Test
    void aPrimaryProposesItsClockButNeverATimeBelowTheBatchBefore() {
        Replica primary = CoreFixtures.replica(config(0));

        List<PrePrepare> first = CoreFixtures.sent(primary.onRequest(request(7, 1), NOW), PrePrepare.class);
        // Its clock input goes back (a driver restarted on a slower clock): the time does not.
        List<PrePrepare> second = CoreFixtures.sent(primary.onRequest(request(8, 1), NOW - 100), PrePrepare.class);

        assertThat(first).singleElement().extracting(PrePrepare::timestampMillis).isEqualTo(NOW);
        assertThat(second).singleElement().satisfies(pp -> {
            assertThat(pp.timestampMillis()).isEqualTo(NOW);
            assertThat(pp.batchDigest()).isEqualTo(PrePrepare.digestOf(NOW, List.of(request(8, 1))));
        });
    }
}
