package io.pbft.core;

import static io.pbft.core.CoreFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.ProtocolEvent.ViewChangeCause;
import io.pbft.core.ProtocolEvent.ViewChangeStarted;
import io.pbft.core.message.ForwardedRequest;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Request;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replica 0, the primary of view 0: assigning sequence numbers and batching. */
class PrimaryTest {

    /** A pre-prepare the primary sent, with the batch beside it. */
    private record Proposal(PrePrepare prePrepare, List<Request> batch) {
        long sequence() {
            return prePrepare.sequence();
        }

        long view() {
            return prePrepare.view();
        }

        ByteString batchDigest() {
            return prePrepare.batchDigest();
        }

        long batchBytes() {
            return PrePrepare.bytesOf(batch);
        }
    }

    private static List<Proposal> prePrepares(Effects effects) {
        return effects.messages().stream()
                .filter(o -> o.message() instanceof PrePrepare)
                .map(o -> new Proposal((PrePrepare) o.message(), o.batch()))
                .toList();
    }

    @Test
    void anIdlePrimaryProposesARequestAtOnce() {
        Replica primary = CoreFixtures.replica(CoreFixtures.config(0));

        Effects effects = primary.onRequest(request(7, 1), 10);

        assertThat(prePrepares(effects)).singleElement().satisfies(pp -> {
            assertThat(pp.sequence()).isEqualTo(1);
            assertThat(pp.view()).isZero();
            assertThat(pp.batch()).containsExactly(request(7, 1));
            // The primary's clock is the agreed time, and the digest covers it.
            assertThat(pp.prePrepare().timestampMillis()).isEqualTo(10);
            assertThat(pp.batchDigest()).isEqualTo(PrePrepare.digestOf(10, pp.batch()));
        });
    }

    @Test
    void requestsThatArriveTogetherShareOneBatchEvenWhenThePrimaryIsIdle() {
        Replica primary = CoreFixtures.replica(CoreFixtures.config(0));

        Effects effects = primary.onRequests(List.of(request(1, 1), request(2, 1), request(3, 1)), 10);

        assertThat(prePrepares(effects)).singleElement().satisfies(pp ->
                assertThat(pp.batch()).containsExactly(request(1, 1), request(2, 1), request(3, 1)));
    }

    @Test
    void requestsArrivingTogetherAreCheckedOneByOne() {
        Replica primary = CoreFixtures.replica(CoreFixtures.config(0));
        primary.onRequest(request(1, 5), 1);
        long inProgressBefore = primary.rejections().count(Rejection.REQUEST_IN_PROGRESS);

        Effects effects = primary.onRequests(List.of(request(1, 5), request(1, 4), request(2, 1)), 2);

        // Client 1's timestamp 5 is proposed already and goes no further; its older request 4 is
        // inside its window and is proposed too.
        assertThat(prePrepares(effects)).singleElement().satisfies(pp ->
                assertThat(pp.batch()).containsExactly(request(1, 4), request(2, 1)));
        assertThat(primary.rejections().count(Rejection.REQUEST_IN_PROGRESS)).isEqualTo(inProgressBefore + 1);
    }

    @Test
    void roomForAClientShrinksWithItsRequestsWaitingForASequenceNumber() {
        Replica primary = CoreFixtures.replica(CoreFixtures.config(0).withBatching(100, 0, 1));
        primary.onRequest(request(1, 1), 1); // proposed at once: one batch in flight
        for (long timestamp = 2; timestamp <= 11; timestamp++) {
            primary.onRequest(request(7, timestamp), 2);
        }

        assertThat(primary.roomFor(7)).isEqualTo(ReplicaConfig.CLIENT_WINDOW - 10);
        assertThat(primary.roomFor(8)).isEqualTo(ReplicaConfig.CLIENT_WINDOW);
        assertThat(CoreFixtures.replica(CoreFixtures.config(1)).roomFor(7)).isEqualTo(ReplicaConfig.CLIENT_WINDOW);
    }

    @Test
    void whileAnotherClientIsServedAClientsRequestsInFlightCountAgainstItsRoom() {
        Replica primary = CoreFixtures.replica(CoreFixtures.config(0).withBatching(128, 0, 2));
        PrePrepare first = prePrepares(primary.onRequest(request(7, 1), 1)).get(0).prePrepare();
        PrePrepare second = prePrepares(primary.onRequest(request(7, 2), 2)).get(0).prePrepare();
        primary.onRequest(request(7, 3), 3); // two batches in flight: it waits

        // Alone, a client pipelines: only what waits for a sequence number counts.
        assertThat(primary.roomFor(7)).isEqualTo(ReplicaConfig.CLIENT_WINDOW - 1);

        primary.onRequest(request(8, 1), 4);
        assertThat(primary.roomFor(7)).isEqualTo(ReplicaConfig.CLIENT_WINDOW - 3);

        PrePrepare third = prePrepares(execute(primary, first, 5)).get(0).prePrepare();
        // Client 8's request is in flight now: client 7's two in flight still count.
        assertThat(primary.roomFor(7)).isEqualTo(ReplicaConfig.CLIENT_WINDOW - 2);

        execute(primary, second, 6);
        execute(primary, third, 7);
        assertThat(primary.roomFor(7)).isEqualTo(ReplicaConfig.CLIENT_WINDOW);
        assertThat(primary.roomFor(8)).isEqualTo(ReplicaConfig.CLIENT_WINDOW);
    }

    @Test
    void aPrimaryServesOtherClientsWhileTheirRequestsWaitOrAreInFlight() {
        Replica primary = CoreFixtures.replica(CoreFixtures.config(0).withBatching(128, 0, 1));
        assertThat(primary.servesOthersThan(7)).isFalse();

        PrePrepare first = prePrepares(primary.onRequest(request(7, 1), 1)).get(0).prePrepare();
        assertThat(primary.servesOthersThan(7)).as("only its own in flight").isFalse();
        assertThat(primary.servesOthersThan(8)).isTrue();

        primary.onRequest(request(8, 1), 2); // waits: one batch in flight is the limit
        assertThat(primary.servesOthersThan(7)).isTrue();

        PrePrepare second = prePrepares(execute(primary, first, 3)).get(0).prePrepare();
        assertThat(primary.servesOthersThan(7)).as("client 8's request in flight").isTrue();
        assertThat(primary.servesOthersThan(8)).isFalse();

        execute(primary, second, 4);
        assertThat(primary.servesOthersThan(7)).isFalse();
        assertThat(CoreFixtures.replica(CoreFixtures.config(1)).servesOthersThan(7)).as("a backup").isFalse();
    }

    @Test
    void requestsWaitAndShareABatchOnceTheInFlightLimitIsReached() {
        Replica primary = CoreFixtures.replica(CoreFixtures.config(0).withBatching(3, 0, 1));

        Effects first = primary.onRequest(request(1, 1), 1);
        Effects second = primary.onRequest(request(2, 1), 2);
        Effects third = primary.onRequest(request(3, 1), 3);
        Effects fourth = primary.onRequest(request(4, 1), 4);

        assertThat(prePrepares(first)).hasSize(1);
        assertThat(prePrepares(second)).isEmpty(); // one batch in flight: wait
        assertThat(prePrepares(third)).isEmpty();
        // a full batch goes out regardless of the in-flight limit
        assertThat(prePrepares(fourth)).singleElement().satisfies(pp -> {
            assertThat(pp.sequence()).isEqualTo(2);
            assertThat(pp.batch()).containsExactly(request(2, 1), request(3, 1), request(4, 1));
        });
    }

    @Test
    void aClientWithAFullWindowTakesOnlyItsShareOfABatchWhileAnotherClientWaits() {
        Replica primary = CoreFixtures.replica(CoreFixtures.config(0).withBatching(128, 0, 1));
        PrePrepare inFlight = prePrepares(primary.onRequest(request(1, 1), 1)).get(0).prePrepare();
        for (long timestamp = 1; timestamp <= 20; timestamp++) {
            primary.onRequest(request(7, timestamp), 2);
        }
        primary.onRequest(request(8, 1), 3);

        Proposal shared = prePrepares(execute(primary, inFlight, 4)).get(0);
        // Round-robin, client 7 first (its oldest request is older), at most its share of it.
        assertThat(shared.batch()).containsExactly(request(7, 1), request(8, 1), request(7, 2), request(7, 3),
                request(7, 4));
        assertThat(Batcher.CLIENT_SHARE_PER_BATCH).isEqualTo(4);

        // Alone now, client 7 fills the next batch with all it has waiting.
        Proposal alone = prePrepares(execute(primary, shared.prePrepare(), 10)).get(0);
        assertThat(alone.batch()).hasSize(16).first().isEqualTo(request(7, 5));
        assertThat(alone.batch()).last().isEqualTo(request(7, 20));
    }

    @Test
    void aClientsBacklogAloneDoesNotMakeABatchFullEnoughToGoOutBeyondTheInFlightLimit() {
        Replica primary = CoreFixtures.replica(CoreFixtures.config(0).withBatching(10, 0, 1));
        primary.onRequest(request(1, 1), 1); // one batch in flight: the rest waits
        long proposed = prePrepares(primary.onRequest(request(8, 1), 2)).size();
        for (long timestamp = 1; timestamp <= 12; timestamp++) {
            proposed += prePrepares(primary.onRequest(request(7, timestamp), 3)).size();
        }

        // 13 wait, but shares of 1 and 4 do not fill a batch of 10.
        assertThat(proposed).isZero();
        for (long client = 9; client <= 13; client++) {
            proposed += prePrepares(primary.onRequest(request(client, 1), 4)).size();
        }
        // Now they do: 4 + 1 + 5 clients of one request each.
        assertThat(proposed).isEqualTo(1);
    }

    @Test
    void manyClientsWithOneRequestEachFillABatchInTheOrderTheyArrived() {
        Replica primary = CoreFixtures.replica(CoreFixtures.config(0).withBatching(128, 0, 1));
        primary.onRequest(request(1, 1), 1);
        Effects last = Effects.NONE;
        for (long client = 2; client <= 129; client++) {
            last = primary.onRequest(request(client, 1), client);
        }

        assertThat(prePrepares(last)).singleElement().satisfies(pp -> {
            assertThat(pp.batch()).hasSize(128);
            assertThat(pp.batch()).extracting(Request::clientId).isSorted();
        });
    }

    @Test
    void batchesAreCutAtTheByteLimitSoEveryPrePrepareFitsAFrame() {
        int requestBytes = request(1, 1).sizeBytes();
        Replica primary = CoreFixtures.replica(CoreFixtures.config(0).withBatching(100, 0, 1)
                .withMaxBatchBytes(Math.max(ReplicaConfig.MIN_BATCH_BYTES, 3 * requestBytes)));
        int perBatch = (int) (primary.config().maxBatchBytes() / requestBytes);
        primary.onRequest(request(1, 1), 1); // in flight: the rest waits and batches
        Effects last = Effects.NONE;
        for (int client = 2; client <= 2 + perBatch; client++) {
            last = primary.onRequest(request(client, 1), client);
        }

        // the byte limit, not the count limit of 100, closed the batch
        assertThat(prePrepares(last)).singleElement().satisfies(pp -> {
            assertThat(pp.batch()).hasSize(perBatch);
            assertThat(pp.batchBytes()).isLessThanOrEqualTo(primary.config().maxBatchBytes());
        });
    }

    @Test
    void aRequestLargerThanAWholeBatchIsRejected() {
        Replica primary = CoreFixtures.replica(CoreFixtures.config(0).withMaxBatchBytes(ReplicaConfig.MIN_BATCH_BYTES));
        Request huge = Request.of(7, 1, ByteString.copyFrom(new byte[ReplicaConfig.MIN_BATCH_BYTES]));

        Effects effects = primary.onRequest(huge, 1);

        assertThat(prePrepares(effects)).isEmpty();
        assertThat(primary.rejections().count(Rejection.OVERSIZED_REQUEST)).isEqualTo(1);
    }

    @Test
    void aRetransmittedRequestIsNotProposedTwice() {
        Replica primary = CoreFixtures.replica(CoreFixtures.config(0));
        primary.onRequest(request(7, 1), 1);

        Effects again = primary.onRequest(request(7, 1), 2);

        assertThat(prePrepares(again)).isEmpty();
        assertThat(primary.rejections().count(Rejection.REQUEST_IN_PROGRESS)).isEqualTo(1);
    }

    @Test
    void aBackupDoesNotOrderARequestButForwardsItToThePrimaryAndWatchesItExecute() {
        Replica backup = CoreFixtures.replica(CoreFixtures.config(2));

        Effects effects = backup.onRequest(request(7, 1), 1);

        assertThat(effects.messages()).extracting(Outbound::message).noneMatch(PrePrepare.class::isInstance);
        assertThat(effects.messages()).singleElement().satisfies(o -> {
            assertThat(o.destination()).isZero();
            assertThat(o.message()).isEqualTo(new ForwardedRequest(request(7, 1), 2));
        });
        long deadline = 1 + backup.config().viewChangeTimeoutMillis();
        assertThat(CoreFixtures.runUntil(backup, 1, deadline)).isEmpty();
        CoreFixtures.hearFromPeers(backup, deadline - 1);
        assertThat(backup.onTick(deadline - 1).events()).isEmpty();
        assertThat(backup.onTick(deadline).events())
                .containsExactly(new ViewChangeStarted(1, ViewChangeCause.REQUEST_TIMEOUT));
    }

    @Test
    void thePrimaryStopsAtTheTopOfTheWindow() {
        // window 8, one request per batch, no in-flight limit worth speaking of
        Replica primary = CoreFixtures.replica(CoreFixtures.config(0).withBatching(1, 0, 8));
        long proposed = 0;
        for (int client = 1; client <= 12; client++) {
            proposed += prePrepares(primary.onRequest(request(client, 1), client)).size();
        }

        assertThat(proposed).isEqualTo(8);
    }

    @Test
    void aPrimaryWithAFullWindowAsksForNoWakeUpItCannotUse() {
        Replica primary = CoreFixtures.replica(CoreFixtures.config(0).withBatching(1, 0, 8));
        long now = 1;
        for (int client = 1; client <= 8; client++) {
            PrePrepare pp = prePrepares(primary.onRequest(request(client, 1), now++)).get(0).prePrepare();
            CoreFixtures.deliver(primary, 1, CoreFixtures.prepare(pp, 1), now++);
            CoreFixtures.deliver(primary, 2, CoreFixtures.prepare(pp, 2), now++);
            CoreFixtures.deliver(primary, 1, CoreFixtures.commit(pp, 1), now++);
            Execution execution = CoreFixtures.deliver(primary, 2, CoreFixtures.commit(pp, 2), now++).executions().get(0);
            ByteString digest = execution.checkpoint() ? ByteString.copyFromUtf8("state") : ByteString.EMPTY;
            primary.onExecuted(pp.sequence(), CoreFixtures.echo(execution), digest, now++);
        }
        // all 8 executed, none in flight, but no checkpoint is stable: the window (0, 8] is used up
        Effects waiting = primary.onRequest(request(9, 1), now);

        assertThat(prePrepares(waiting)).isEmpty();
        assertThat(waiting.wakeAtMillis()).isGreaterThan(now); // not a wake-up in the past, forever
    }

    @Test
    void aBatchDelayHoldsAPartialBatchUntilTheDelayRunsOut() {
        Replica primary = CoreFixtures.replica(CoreFixtures.config(0).withBatching(10, 5, 8));

        Effects early = primary.onRequest(request(7, 1), 100);
        Effects tooSoon = primary.onTick(104);
        Effects due = primary.onTick(105);

        assertThat(prePrepares(early)).isEmpty();
        assertThat(early.wakeAtMillis()).isEqualTo(105);
        assertThat(prePrepares(tooSoon)).isEmpty();
        assertThat(prePrepares(due)).hasSize(1);
    }

    @Test
    void aOneReplicaClusterCommitsAlone() {
        Replica alone = CoreFixtures.replica(ReplicaConfig.defaults(1, 0));

        Effects effects = alone.onRequest(request(7, 1), 1);

        assertThat(effects.executions()).singleElement()
                .satisfies(e -> assertThat(e.requests()).containsExactly(request(7, 1)));
        List<ReplicaMessage> sent = effects.messages().stream().map(Outbound::message).toList();
        assertThat(sent).hasSize(2); // the pre-prepare and the commit, to nobody in particular
    }

    /** Prepares, commits and executes {@code prePrepare} at the primary; returns what the execution's report set off. */
    private static Effects execute(Replica primary, PrePrepare prePrepare, long now) {
        CoreFixtures.deliver(primary, 1, CoreFixtures.prepare(prePrepare, 1), now);
        CoreFixtures.deliver(primary, 2, CoreFixtures.prepare(prePrepare, 2), now);
        CoreFixtures.deliver(primary, 1, CoreFixtures.commit(prePrepare, 1), now);
        Execution execution = CoreFixtures.deliver(primary, 2, CoreFixtures.commit(prePrepare, 2), now)
                .executions().get(0);
        ByteString digest = execution.checkpoint() ? ByteString.copyFromUtf8("state") : ByteString.EMPTY;
        return primary.onExecuted(prePrepare.sequence(), CoreFixtures.echo(execution), digest, now);
    }
}
