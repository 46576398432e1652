package io.pbft.driver.state;

import static io.pbft.driver.state.StateFetcherTest.assertInstalled;
import static io.pbft.driver.state.TransferFixtures.clientTable;
import static io.pbft.driver.state.TransferFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.driver.state.TransferFixtures.Checkpoint;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One Byzantine server among honest ones, lying about one kind of part, at each position in the
 * fetcher's rotation: the lie is detected and counted, the liar struck and passed over, and the
 * fetch still ends with exactly the checkpoint's state.
 */
class ByzantineServerTest {

    private static final StateTransferLimits LIMITS = StateTransferLimits.defaults().withMaxNodeHashes(4)
            .withMaxChunkBytes(96);
    private static final KeyValueStateMachine SOURCE = store(64, 600, "value-");
    private static final Checkpoint CHECKPOINT = Checkpoint.of(100, SOURCE, clientTable(1_000, 3));

    static Stream<Arguments> lies() {
        return Stream.of(
                Arguments.of("wrong meta", Behaviour.WRONG_META, TransferDrop.WRONG_META),
                Arguments.of("wrong partition count", Behaviour.WRONG_PARTITION_COUNT, TransferDrop.WRONG_META),
                Arguments.of("wrong node hashes", Behaviour.WRONG_NODES, TransferDrop.WRONG_NODE_HASHES),
                Arguments.of("garbage chunks", Behaviour.GARBAGE_CHUNKS, TransferDrop.WRONG_CHUNK),
                Arguments.of("forged content", Behaviour.forgedContent(store(64, 600, "forged-")),
                        TransferDrop.PARTITION_MISMATCH),
                Arguments.of("wrong client table", Behaviour.WRONG_TABLE, TransferDrop.CLIENT_TABLE_MISMATCH),
                Arguments.of("silence", Behaviour.SILENT, TransferDrop.TIMEOUT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lies")
    void aLiarIsDetectedAndPassedOverAndTheFetchCompletes(String name, Behaviour lie, TransferDrop detected) {
        long detections = 0;
        for (int liar = 1; liar < TransferHarness.REPLICAS; liar++) {
            TransferHarness harness = new TransferHarness(new KeyValueStateMachine(64), LIMITS, null)
                    .serving(CHECKPOINT).behave(liar, lie);

            harness.start(CHECKPOINT);

            assertThat(harness.run(20_000)).as("completes with replica %d lying", liar).isTrue();
            assertInstalled(harness, CHECKPOINT);
            long caught = harness.fetcher.dropped(detected);
            if (caught > 0) {
                assertThat(harness.fetcher.strikes(liar)).as("replica %d struck", liar).isGreaterThanOrEqualTo(1);
                for (int honest = 1; honest < TransferHarness.REPLICAS; honest++) {
                    if (honest != liar) {
                        assertThat(requestsTo(harness, liar)).as("replica %d asked less than honest %d", liar, honest)
                                .isLessThan(requestsTo(harness, honest));
                    }
                }
            }
            detections += caught;
        }
        assertThat(detections).as("the lie was told and caught at some position").isPositive();
    }

    private static long requestsTo(TransferHarness harness, int replica) {
        return harness.sent.stream().filter(outgoing -> outgoing.to() == replica).count();
    }
}
