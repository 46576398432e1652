package io.pbft.core;

import static io.pbft.core.CoreFixtures.certificate;
import static io.pbft.core.CoreFixtures.prePrepare;
import static io.pbft.core.CoreFixtures.request;
import static io.pbft.core.CoreFixtures.stableCheckpoint;
import static io.pbft.core.CoreFixtures.viewChange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.google.protobuf.ByteString;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.StableCheckpoint;
import io.pbft.core.message.ViewChange;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a new view starts from, recomputed from hand-built view changes for view 2 (whose primary
 * is replica 2) in a four-replica cluster. {@link NewViewPlan} trusts its input: the certificates
 * here are well-formed, and their checks are {@link ViewChangeTest}'s business.
 */
class NewViewPlanTest {

    private static final ByteString NULL_BATCH = PrePrepare.NULL_BATCH_DIGEST;
    private static final ByteString STATE = ByteString.copyFromUtf8("state after 4");

    private static NewViewPlan plan(ViewChange... viewChanges) {
        return NewViewPlan.of(List.of(viewChanges));
    }

    @Test
    void theCertificateOfTheHighestViewWinsASequenceNumberWhateverTheOrder() {
        PrePrepare inView0 = prePrepare(0, 1, request(7, 1));
        PrePrepare inView1 = prePrepare(1, 1, request(8, 1));
        ViewChange sawView0 = viewChange(2, 0, certificate(inView0, 1, 2));
        ViewChange sawView1 = viewChange(2, 1, certificate(inView1, 2, 3));
        ViewChange alsoSawView0 = viewChange(2, 3, certificate(inView0, 1, 2));

        NewViewPlan plan = plan(sawView0, sawView1, alsoSawView0);
        NewViewPlan reordered = plan(sawView1, alsoSawView0, sawView0);

        assertThat(plan.digests()).containsExactly(entry(1L, inView1.batchDigest()));
        assertThat(reordered.digests()).containsExactly(entry(1L, inView1.batchDigest()));
    }

    @Test
    void everyGapUpToTheHighestPreparedSequenceNumberGetsTheNullBatch() {
        PrePrepare second = prePrepare(0, 2, request(7, 1));
        PrePrepare fourth = prePrepare(0, 4, request(8, 1));

        NewViewPlan plan = plan(
                viewChange(2, 0, certificate(second, 1, 2)),
                viewChange(2, 1, certificate(fourth, 2, 3)),
                viewChange(2, 3));

        assertThat(plan.digests()).containsExactly(
                entry(1L, NULL_BATCH), entry(2L, second.batchDigest()), entry(3L, NULL_BATCH),
                entry(4L, fourth.batchDigest()));
    }

    @Test
    void theHighestStableCheckpointIsTheStartAndCertificatesAtOrBelowItAreIgnored() {
        StableCheckpoint atFour = stableCheckpoint(4, STATE, 0, 1, 3);
        PrePrepare second = prePrepare(0, 2, request(7, 1));
        PrePrepare third = prePrepare(0, 3, request(8, 1));
        PrePrepare fourth = prePrepare(0, 4, request(9, 1));
        PrePrepare sixth = prePrepare(0, 6, request(10, 1));

        NewViewPlan plan = plan(
                viewChange(2, 0, certificate(second, 1, 2)),
                viewChange(2, atFour, 1, certificate(sixth, 2, 3)),
                viewChange(2, 3, certificate(third, 1, 2), certificate(fourth, 1, 2)));

        assertThat(plan.checkpoint()).isEqualTo(atFour);
        assertThat(plan.digests()).containsExactly(entry(5L, NULL_BATCH), entry(6L, sixth.batchDigest()));
    }

    @Test
    void theLatestOfSeveralStableCheckpointsIsTheStart() {
        StableCheckpoint atFour = stableCheckpoint(4, STATE, 0, 1, 3);
        StableCheckpoint atEight = stableCheckpoint(8, STATE, 0, 1, 3);

        NewViewPlan plan = plan(
                viewChange(2, atFour, 0), viewChange(2, atEight, 1), viewChange(2, atFour, 3));

        assertThat(plan.checkpoint()).isEqualTo(atEight);
        assertThat(plan.digests()).isEmpty();
    }

    @Test
    void withoutPreparedCertificatesNothingIsReissued() {
        NewViewPlan plan = plan(viewChange(2, 0), viewChange(2, 1), viewChange(2, 3));

        assertThat(plan.checkpoint()).isEqualTo(StableCheckpoint.INITIAL);
        assertThat(plan.digests()).isEmpty();
        assertThat(plan.prePrepares(2, 2)).isEmpty();
    }

    @Test
    void theReissuedPrePreparesCarryTheNewViewAndTheNewPrimaryInSequenceOrder() {
        PrePrepare inView0 = prePrepare(0, 1, request(7, 1));
        PrePrepare inView1 = prePrepare(1, 3, request(8, 1));

        NewViewPlan plan = plan(
                viewChange(2, 0, certificate(inView1, 2, 3)),
                viewChange(2, 1, certificate(inView0, 1, 2)),
                viewChange(2, 3));

        assertThat(plan.prePrepares(2, 2)).containsExactly(
                new PrePrepare(2, 1, inView0.batchDigest(), 2),
                new PrePrepare(2, 2, NULL_BATCH, 2),
                new PrePrepare(2, 3, inView1.batchDigest(), 2));
    }
}
