package io.pbft.chaos.check;

import static io.pbft.chaos.check.Histories.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.Commit;
import io.pbft.core.message.NewView;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.PreparedCertificate;
import io.pbft.core.message.Signed;
import io.pbft.core.message.StableCheckpoint;
import io.pbft.core.message.Status;
import io.pbft.core.message.ViewChange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fabricated messages: what a replica that forgot its promises across a restart would send. */
class EquivocationMonitorTest {

    private final EquivocationMonitor monitor = new EquivocationMonitor();
    private final ByteString d = bytes("batch d");
    private final ByteString e = bytes("batch e");

    @Test
    void theSameMessageSentAgainIsNoContradiction() {
        assertThat(monitor.onSent(new PrePrepare(0, 9, d, 0))).isEmpty();
        assertThat(monitor.onSent(new PrePrepare(0, 9, d, 0))).isEmpty();
        assertThat(monitor.onSent(new Commit(0, 9, d, 0))).isEmpty();
        assertThat(monitor.onSent(new Commit(0, 9, d, 0))).isEmpty();
        assertThat(monitor.onSent(viewChange(1, 2, 0))).isEmpty();
        assertThat(monitor.onSent(viewChange(1, 2, 0))).isEmpty();
    }

    @Test
    void aPrimaryThatNumbersAnotherBatchWhereItPrePreparedOneIsCaught() {
        monitor.onSent(new PrePrepare(0, 9, d, 0));

        assertThat(monitor.onSent(new PrePrepare(0, 9, e, 0))).hasValueSatisfying(violation -> {
            assertThat(violation.checker()).isEqualTo("Equivocation");
            assertThat(violation.message()).contains("replica 0", "PRE-PREPARE", "view 0, sequence number 9");
        });
    }

    @Test
    void twoDifferentPreparesOrCommitsForOneSlotAreCaught() {
        monitor.onSent(new Prepare(2, 17, d, 1));
        monitor.onSent(new Commit(2, 17, d, 1));

        assertThat(monitor.onSent(new Prepare(2, 17, e, 1))).isPresent();
        assertThat(monitor.onSent(new Commit(2, 17, e, 1))).isPresent();
    }

    @Test
    void twoDifferentViewChangesForOneViewAreCaught() {
        monitor.onSent(viewChange(3, 2, 1));

        assertThat(monitor.onSent(viewChange(3, 3, 1))).hasValueSatisfying(violation -> assertThat(
                violation.message()).contains("VIEW-CHANGE", "view 3", "prepared [2@view 1]", "prepared [3@view 1]"));
    }

    @Test
    void twoDifferentNewViewsOrCheckpointsAreCaught() {
        monitor.onSent(new NewView(1, List.of(), List.of(), 1));
        monitor.onSent(new Checkpoint(8, d, 1));

        assertThat(monitor.onSent(new NewView(1, List.of(viewChange(1)), List.of(), 1))).isPresent();
        assertThat(monitor.onSent(new Checkpoint(8, e, 1))).isPresent();
    }

    @Test
    void otherViewsSlotsAndReplicasAreNotTheSamePromise() {
        monitor.onSent(new Prepare(0, 9, d, 1));

        assertThat(monitor.onSent(new Prepare(1, 9, e, 1))).isEmpty(); // a new view may prepare another batch
        assertThat(monitor.onSent(new Prepare(0, 10, e, 1))).isEmpty();
        assertThat(monitor.onSent(new Prepare(0, 9, e, 2))).isEmpty();
        assertThat(monitor.onSent(new Commit(0, 9, e, 3))).isEmpty();
        assertThat(monitor.onSent(new Status(0, true, 9, 8, 0))).isEmpty();
        assertThat(monitor.onSent(new Status(0, true, 10, 8, 0))).isEmpty();
    }

    /** Replica {@code replica}'s vote for {@code view}, certifying {@code sequence} prepared in view 1. */
    private ViewChange viewChange(long view, long sequence, int replica) {
        Signed<PrePrepare> prePrepare = new Signed<>(new PrePrepare(1, sequence, d, 1), bytes("signed"));
        return new ViewChange(view, StableCheckpoint.INITIAL, List.of(new PreparedCertificate(prePrepare, List.of())),
                replica);
    }

    private Signed<ViewChange> viewChange(long view) {
        return new Signed<>(viewChange(view, 2, 0), bytes("signed"));
    }
}
