package io.pbft.chaos.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.chaos.check.history.HistoryLine;
import io.pbft.cli.workload.OpStatus;
import io.pbft.cli.workload.WorkloadResult;
import io.pbft.client.ReplicaStatus;
import io.pbft.core.ReplicaConfig;
import io.pbft.wire.ProvenEquivocation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Byzantine replicas in a live cluster, through the same behaviour classes the simulator runs
 * ({@code replica --misbehave SPEC}): four replica JVMs, one of them lying, under a recorded
 * workload. The other three must keep serving, agree with each other, and give the clients a
 * linearizable history; what a liar signed against itself they keep as proof ({@code pbft evidence}).
 */
class ByzantineLiveTest extends LiveClusterTest {

    private static final int LIAR = 0;
    private static final long OPS = 600;

    private static ReplicaConfig protocol() {
        return ReplicaConfig.defaults(REPLICAS, 0).withWindow(256, 32).withViewChangeTimeout(1_000)
                .withInvariantChecks(true);
    }

    /**
     * An equivocating primary: each pre-prepare goes as made to some backups and with a batch one
     * request short, validly signed, to the others. No batch can prepare in its view, so the backups
     * vote it out and go on in view 1 (where it is a backup, and its lie has nothing to act on).
     */
    @Test
    void anEquivocatingPrimaryIsVotedOutAndTheOthersServeALinearizableHistory() throws Exception {
        startReplicas(protocol(), launch -> launch.withMisbehaviour(LIAR, "equivocate"));
        WorkloadResult result;
        try (LiveWorkload workload = LiveWorkload.start(replicas.config(), CLIENTS, MAX_OPS, settings())) {
            awaitSettled(workload, OPS, "operations settled with an equivocating replica 0");
            workload.finishAfter(OPS);
            result = workload.result(WORKLOAD_END);
        }
        List<ReplicaStatus> end = awaitStatuses(ByzantineLiveTest::honestAgree,
                "replicas 1 to 3 in one view above 0, with the same last executed and state");

        List<HistoryLine> lines = assertLinearizable(result);
        assertThat(lines).filteredOn(line -> line.entry().status() == OpStatus.OK).hasSizeGreaterThanOrEqualTo((int) OPS);
        assertThat(replicas.log(LIAR).lines()).anyMatch(line -> line.contains("misbehaves on purpose: equivocate"));
        // A backup that hears both versions of a pre-prepare (a resent one, or one another backup
        // relays in the view change) keeps the two, signed, as proof; and none accuses anyone else.
        List<ProvenEquivocation> proofs = end.subList(1, REPLICAS).stream().flatMap(s -> s.evidence().stream()).toList();
        assertThat(proofs).isNotEmpty().allSatisfy(proof -> assertThat(proof.sender()).isEqualTo(LIAR));
    }

    /** A replica that tells every client a wrong result: clients take only what f + 1 agree on. */
    @Test
    void aReplicaThatRepliesWrongResultsChangesNothingTheClientsSee() throws Exception {
        startReplicas(protocol(), launch -> launch.withMisbehaviour(2, "wrong-replies"));
        WorkloadResult result;
        try (LiveWorkload workload = LiveWorkload.start(replicas.config(), CLIENTS, MAX_OPS, settings())) {
            awaitSettled(workload, OPS, "operations settled with a replica replying wrong results");
            workload.finishAfter(OPS);
            result = workload.result(WORKLOAD_END);
        }
        awaitStatuses(LiveClusterTest::allAgree, "all four in one view with the same last executed and state");

        assertLinearizable(result);
        // Without this the test would pass on an honest cluster too: the liar must have lied.
        assertThat(replicas.log(2).lines()).anyMatch(line -> line.contains("misbehaves on purpose: wrong-replies"));
    }

    private static boolean honestAgree(List<ReplicaStatus> statuses) {
        List<ReplicaStatus> honest = statuses.subList(1, REPLICAS);
        ReplicaStatus first = honest.get(0);
        return ReplicaStatus.workInOneView(honest) && first.view() >= 1 && honest.stream().allMatch(s ->
                s.lastExecuted() == first.lastExecuted() && s.stateDigestHex().equals(first.stateDigestHex()));
    }
}
