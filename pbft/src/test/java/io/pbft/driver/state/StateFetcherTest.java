package io.pbft.driver.state;

import static io.pbft.driver.state.TransferFixtures.clientTable;
import static io.pbft.driver.state.TransferFixtures.copyOf;
import static io.pbft.driver.state.TransferFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pbft.core.message.FetchState;
import io.pbft.core.message.StateChunk;
import io.pbft.driver.state.StateFetcher.Installed;
import io.pbft.driver.state.TransferFixtures.Checkpoint;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateFetcherTest {

    private static final StateTransferLimits LIMITS = StateTransferLimits.defaults();

    private final KeyValueStateMachine source = store(256, 2_000, "value-");
    private final Checkpoint checkpoint = Checkpoint.of(100, source, clientTable(3_000, 7));

    @Test
    void endsWithTheCheckpointsRootAndClientTable() {
        TransferHarness harness = new TransferHarness(new KeyValueStateMachine(256), LIMITS, null).serving(checkpoint);

        harness.start(checkpoint);

        assertThat(harness.run(10_000)).isTrue();
        assertInstalled(harness, checkpoint);
        assertThat(harness.fetcher.fetching()).isEmpty();
        assertThat(harness.fetcher.drops()).isEmpty();
    }

    @Test
    void fetchesOnlyTheDifferingPartitions() {
        KeyValueStateMachine local = copyOf(source);
        TransferFixtures.divergeIn(local, 3, 97, 200);
        TransferHarness harness = new TransferHarness(local, LIMITS, null).serving(checkpoint);

        harness.start(checkpoint);

        assertThat(harness.run(10_000)).isTrue();
        assertInstalled(harness, checkpoint);
        assertThat(harness.partitionRequests().keySet()).containsExactly(3, 97, 200);
        FetchStats stats = harness.fetcher.stats();
        assertThat(stats.partitionsInstalled()).isEqualTo(3);
        assertThat(stats.partitionBytesReceived()).isEqualTo(contentBytes(3) + contentBytes(97) + contentBytes(200))
                .isLessThan(source.snapshot().length / 50);
        assertThat(stats.nodeHashesReceived()).as("the 256 partition digests, in one step").isEqualTo(256);
    }

    @Test
    void walksInSmallStepsWhenAnswersHoldFewHashes() {
        KeyValueStateMachine local = copyOf(source);
        TransferFixtures.divergeIn(local, 0, 255);
        TransferHarness harness = new TransferHarness(local, LIMITS.withMaxNodeHashes(2).withMaxChunkBytes(64), null)
                .serving(checkpoint);

        harness.start(checkpoint);

        assertThat(harness.run(10_000)).isTrue();
        assertInstalled(harness, checkpoint);
        assertThat(harness.partitionRequests().keySet()).containsExactly(0, 255);
        assertThat(harness.fetcher.stats().nodeHashesReceived()).as("the root's two children, then two per level for each path; the last two are digests")
                .isEqualTo(2 + 2 * 7 * 2);
    }

    @Test
    void aMatchingLocalStateNeedsOnlyTheMetaAndTheClientTable() {
        TransferHarness harness = new TransferHarness(copyOf(source), LIMITS, null).serving(checkpoint);

        harness.start(checkpoint);

        assertThat(harness.run(100)).isTrue();
        assertInstalled(harness, checkpoint);
        assertThat(harness.fetcher.stats().requestsSent()).isEqualTo(2);
    }

    @Test
    void allPeersSilentRetriesOnEveryTimeoutWithAtMostOneRequestPerPeer() {
        TransferHarness harness = new TransferHarness(new KeyValueStateMachine(256), LIMITS, null).serving(checkpoint);
        Behaviour silentOnContent = (ask, honest) -> ask.part() instanceof FetchState.Partition ? Optional.empty() : honest;
        for (int replica = 1; replica < TransferHarness.REPLICAS; replica++) {
            harness.behave(replica, silentOnContent);
        }

        harness.start(checkpoint);
        harness.run(500);

        assertThat(harness.fetcher.completed()).isEmpty();
        assertThat(harness.fetcher.dropped(TransferDrop.TIMEOUT)).isGreaterThan(100);
        assertThat(harness.mostSentAtOnce).as("one request in flight per peer").isEqualTo(TransferHarness.REPLICAS - 1);
        assertThat(harness.fetcher.stats().partitionsInstalled()).isZero();
        assertThat(harness.sent).extracting(StateFetcher.Outgoing::to).containsOnly(1, 2, 3);

        for (int replica = 1; replica < TransferHarness.REPLICAS; replica++) {
            harness.behave(replica, Behaviour.HONEST);
        }
        assertThat(harness.run(10_000)).as("the peers answer again").isTrue();
        assertInstalled(harness, checkpoint);
    }

    @Test
    void aPeerThatDoesNotKeepTheCheckpointIsPassedOver() {
        TransferHarness harness = new TransferHarness(new KeyValueStateMachine(256), LIMITS, null).serving(checkpoint);
        harness.servers.get(1).discardBelow(checkpoint.sequence() + 1);

        harness.start(checkpoint);

        assertThat(harness.run(10_000)).isTrue();
        assertInstalled(harness, checkpoint);
        assertThat(harness.servers.get(1).dropped(TransferDrop.CHECKPOINT_NOT_KEPT)).isEqualTo(1);
        assertThat(harness.fetcher.dropped(TransferDrop.TIMEOUT)).isEqualTo(1);
        assertThat(harness.fetcher.strikes(1)).isEqualTo(1);
    }

    @Test
    void retargetFetchesTheNewerCheckpointAndIgnoresLateAnswersForTheOlder() {
        KeyValueStateMachine later = copyOf(source);
        TransferFixtures.divergeIn(later, 10, 11, 12);
        Checkpoint newer = Checkpoint.of(200, later, clientTable(1_000, 8));
        TransferHarness harness = new TransferHarness(new KeyValueStateMachine(256), LIMITS.withMaxChunkBytes(256), null)
                .serving(checkpoint, newer);
        harness.start(checkpoint);
        for (int step = 0; step < 40; step++) {
            harness.step();
        }
        assertThat(harness.fetcher.stats().partitionsInstalled()).as("partway through").isPositive();
        harness.deliverRequests();

        harness.retarget(newer);

        assertThat(harness.run(20_000)).isTrue();
        assertInstalled(harness, newer);
        assertThat(harness.fetcher.dropped(TransferDrop.UNSOLICITED_CHUNK)).isPositive();
    }

    @Test
    void retargetMustNameANewerCheckpointOfAFetchUnderWay() {
        StateFetcher fetcher = new StateFetcher(0, 4, new KeyValueStateMachine(4), TransferFixtures.DIGESTS, LIMITS);

        assertThatThrownBy(() -> fetcher.retarget(5, ByteString.EMPTY, 0)).isInstanceOf(IllegalStateException.class);
        fetcher.start(5, checkpoint.digest(), 0);
        assertThatThrownBy(() -> fetcher.retarget(5, checkpoint.digest(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fetcher.start(6, checkpoint.digest(), 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void chunksNoRequestIsOutstandingForAreIgnoredAndCounted() {
        StateFetcher fetcher = new StateFetcher(0, 4, new KeyValueStateMachine(256), TransferFixtures.DIGESTS, LIMITS);
        List<StateFetcher.Outgoing> first = fetcher.start(checkpoint.sequence(), checkpoint.digest(), 0);
        assertThat(first).hasSize(1);
        StateChunk meta = harnessServer().onFetch(0, first.get(0).message()).orElseThrow();

        assertThat(fetcher.onChunk(2, meta, 1)).as("from a peer not asked").isEmpty();
        assertThat(fetcher.onChunk(first.get(0).to(), new StateChunk(99, meta.request(), meta.content(), 1), 1))
                .as("another checkpoint").isEmpty();
        assertThat(fetcher.onChunk(first.get(0).to(),
                new StateChunk(meta.sequence(), meta.request() + 1, meta.content(), 1), 1))
                .as("the answer to another request: late or duplicated").isEmpty();

        assertThat(fetcher.dropped(TransferDrop.UNSOLICITED_CHUNK)).isEqualTo(3);
        assertThat(fetcher.strikes(2)).isZero();
        assertThat(fetcher.onChunk(first.get(0).to(), meta, 1)).as("the answer asked for leads on").isNotEmpty();
    }

    @Test
    void aPartitionLargerThanTheBoundIsNeverCommitted() {
        TransferHarness harness = new TransferHarness(new KeyValueStateMachine(256),
                new StateTransferLimits(LIMITS.maxNodeHashes(), 32, 64, LIMITS.maxClientTableBytes(),
                        LIMITS.maxCursorBytes(), LIMITS.requestTimeoutMillis(), LIMITS.maxKeptCheckpoints()), null).serving(checkpoint);

        harness.start(checkpoint);

        assertThat(harness.run(3_000)).isFalse();
        assertThat(harness.fetcher.dropped(TransferDrop.PARTITION_TOO_LARGE)).isPositive();
        assertThat(harness.local.size()).as("only partitions within the bound").isLessThan(source.size());
    }

    @Test
    void aClientTableLargerThanTheBoundIsRefused() {
        TransferHarness harness = new TransferHarness(copyOf(source),
                new StateTransferLimits(LIMITS.maxNodeHashes(), 1_000, LIMITS.maxPartitionBytes(), 2_999,
                        LIMITS.maxCursorBytes(), LIMITS.requestTimeoutMillis(), LIMITS.maxKeptCheckpoints()), null).serving(checkpoint);

        harness.start(checkpoint);

        assertThat(harness.run(1_000)).isFalse();
        assertThat(harness.fetcher.dropped(TransferDrop.CLIENT_TABLE_TOO_LARGE)).isPositive();
    }

    private StateServer harnessServer() {
        StateServer server = new StateServer(1, TransferFixtures.DIGESTS, LIMITS);
        server.keep(checkpoint.served());
        return server;
    }

    private long contentBytes(int partition) {
        return source.readPartition(partition, new byte[0], Integer.MAX_VALUE).contentBytes();
    }

    static void assertInstalled(TransferHarness harness, Checkpoint target) {
        Installed installed = harness.fetcher.completed().orElseThrow();
        assertThat(installed.sequence()).isEqualTo(target.sequence());
        assertThat(installed.digest()).isEqualTo(target.digest());
        assertThat(installed.clientTable()).isEqualTo(target.clientTable());
        assertThat(harness.local.stateDigest()).isEqualTo(target.state().stateDigest());
        assertThat(harness.local.entries()).isEqualTo(target.state().entries());
    }
}
