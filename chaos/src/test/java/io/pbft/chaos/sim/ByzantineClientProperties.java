package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.chaos.check.RunHistory;
import io.pbft.core.Execution;
import io.pbft.core.Rejection;
import io.pbft.core.message.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byzantine clients in the simulator: one that floods every replica with requests and waits for
 * nothing, one that keeps sending its old requests again, one that signs two operations under each
 * timestamp. The honest clients all finish, nothing executes twice, and every check holds; with a
 * Byzantine replica beside them too.
 *
 * <p>Seeds: a tenth of {@code -Dpbft.sim.seeds} (default 200), at least 10.
 */
class ByzantineClientProperties {

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pbft.chaos.sim.StateTransferProperties#seeds")
    void aFloodingClientHoldsNoHonestClientUp(long seed) {
        SimulationResult result = SimulationProperties.assertPasses(SimulationConfig.defaults(seed)
                .withNetwork(SimulationProperties.LOSSY).withByzantineClient("flood"));

        assertThat(result.config().replayCommand()).contains("--byzantine-client flood");
        long flooder = Simulation.FIRST_CLIENT_ID + result.config().clients();
        assertThat(result.history().agreedExecutions()).as("the flood's requests were ordered too")
                .anySatisfy(execution -> assertThat(execution.requests())
                        .anySatisfy(request -> assertThat(request.clientId()).isEqualTo(flooder)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pbft.chaos.sim.StateTransferProperties#seeds")
    void aClientReplayingItsOldRequestsNeverGetsOneExecutedTwice(long seed) {
        SimulationResult result = SimulationProperties.assertPasses(SimulationConfig.defaults(seed)
                .withNetwork(SimulationProperties.LOSSY).withByzantineClient("replay-old"));

        assertThat(result.rejections()).as("replicas refused the replayed requests they had executed")
                .anySatisfy(rejections -> assertThat(rejections).containsKey(Rejection.ALREADY_EXECUTED));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pbft.chaos.sim.StateTransferProperties#seeds")
    void hostileClientsAndAnEquivocatingPrimaryTogether(long seed) {
        SimulationProperties.assertPasses(FaultSchedules.random(SimulationConfig.defaults(seed)
                .withBehaviour(0, "equivocate").withByzantineClient("flood").withByzantineClient("replay-old")));
    }

    /**
     * The primary gets both operations of each timestamp and every backup one or the other: the
     * primary orders one and refuses the other, every correct replica executes that one only, and
     * the client still gets its f + 1 matching replies (all of this client's requests complete).
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pbft.chaos.sim.StateTransferProperties#seeds")
    void aClientSigningTwoOperationsUnderOneTimestampGetsAtMostOneExecuted(long seed) {
        SimulationResult result = SimulationProperties.assertPasses(SimulationConfig.defaults(seed)
                .withNetwork(SimulationProperties.LOSSY).withByzantineClient("two-ops"));

        long twoOps = Simulation.FIRST_CLIENT_ID + result.config().clients();
        assertThat(operationsExecuted(result, twoOps)).as("per timestamp, the operations correct replicas executed")
                .hasSize(result.config().requestsPerClient())
                .allSatisfy((timestamp, operations) -> assertThat(operations).hasSize(1));
        assertThat(result.rejections()).as("the primary refused the second operation of a timestamp in progress")
                .anySatisfy(rejections -> assertThat(rejections).containsKey(Rejection.REQUEST_IN_PROGRESS));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pbft.chaos.sim.StateTransferProperties#seeds")
    void twoOperationsUnderOneTimestampBesideAnEquivocatingPrimaryUnderRandomFaults(long seed) {
        SimulationResult result = SimulationProperties.assertPasses(FaultSchedules.random(SimulationConfig
                .defaults(seed).withBehaviour(0, "equivocate").withByzantineClient("two-ops")));

        assertThat(operationsExecuted(result, Simulation.FIRST_CLIENT_ID + result.config().clients()))
                .allSatisfy((timestamp, operations) -> assertThat(operations).hasSize(1));
    }

    /**
     * Garbage, oversized and empty operations and writes marked read-only, to every replica: the
     * core refuses what no batch may hold, the service answers the rest alike everywhere (the state
     * and linearizability checks replay the agreed order on a fresh store), a write marked
     * read-only is never ordered, and the honest clients finish.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pbft.chaos.sim.StateTransferProperties#seeds")
    void aClientSendingMalformedRequestsIsRefusedOrAnsweredAlikeAndHoldsNobodyUp(long seed) {
        SimulationResult result = SimulationProperties.assertPasses(SimulationConfig.defaults(seed)
                .withNetwork(SimulationProperties.LOSSY).withByzantineClient("malformed"));

        long malformed = Simulation.FIRST_CLIENT_ID + result.config().clients();
        int maxBatchBytes = result.config().replicaConfig(0).maxBatchBytes();
        List<Request> ordered = requestsExecuted(result, malformed);
        assertThat(ordered).as("what correct replicas executed of the malformed client's requests")
                .noneMatch(Request::readOnly)
                .noneMatch(request -> request.operation().size() > maxBatchBytes);
        assertThat(result.rejections()).as("replicas refused the oversized requests")
                .anySatisfy(rejections -> assertThat(rejections).containsKey(Rejection.OVERSIZED_REQUEST));
    }

    /** The requests of client {@code clientId} any correct replica executed. */
    private static List<Request> requestsExecuted(SimulationResult result, long clientId) {
        List<Request> executed = new ArrayList<>();
        RunHistory history = result.history();
        for (int replica : history.correctReplicas()) {
            for (Execution execution : history.executions().get(replica)) {
                for (Request request : execution.requests()) {
                    if (request.clientId() == clientId) {
                        executed.add(request);
                    }
                }
            }
        }
        return executed;
    }

    /** Per timestamp of client {@code clientId}, the digests of the operations any correct replica executed under it. */
    private static SortedMap<Long, Set<ByteString>> operationsExecuted(SimulationResult result, long clientId) {
        SortedMap<Long, Set<ByteString>> executed = new TreeMap<>();
        for (Request request : requestsExecuted(result, clientId)) {
            executed.computeIfAbsent(request.timestamp(), timestamp -> new TreeSet<>(
                    ByteString.unsignedLexicographicalComparator())).add(request.digest());
        }
        return executed;
    }
}
