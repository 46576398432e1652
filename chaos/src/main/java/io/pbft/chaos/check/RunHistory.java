package io.pbft.chaos.check;

import com.google.protobuf.ByteString;
import io.pbft.core.Execution;
import io.pbft.core.message.Request;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the checkers judge, recorded by a driver (the simulator) or fabricated by a test.
 *
 * @param replicaCount n
 * @param correctReplicas the replicas that ran the honest behaviour; safety is asserted among them
 * @param incarnations per replica, its incarnations in order: one, unless it crashed and restarted
 * @param sentRequests every request a client sent, by id
 * @param clients per client, its history
 * @param endMillis the simulated time at which the run stopped
 * @param deadlineMillis the simulated time by which every client had to finish
 */
public record RunHistory(
        int replicaCount,
        SortedSet<Integer> correctReplicas,
        List<List<Incarnation>> incarnations,
        SortedMap<RequestId, Request> sentRequests,
        List<ClientHistory> clients,
        long endMillis,
        long deadlineMillis) {

    /**
     * What one incarnation of a replica did, from its start (or restart from its disk) to its crash
     * or the end of the run. A restarted replica executes again from its snapshot: the same sequence
     * numbers, which must hold the same batches and lead to the same state digests as before.
     *
     * @param executions every {@link Execution} it carried out, in order
     * @param checkpointDigests the state machine's digest after each checkpoint execution
     */
    public record Incarnation(List<Execution> executions, SortedMap<Long, ByteString> checkpointDigests) {
        public Incarnation {
            executions = List.copyOf(executions);
            checkpointDigests = Collections.unmodifiableSortedMap(new TreeMap<>(checkpointDigests));
        }
    }

    public RunHistory {
        correctReplicas = Collections.unmodifiableSortedSet(new TreeSet<>(correctReplicas));
        List<List<Incarnation>> copies = new ArrayList<>(incarnations.size());
        for (List<Incarnation> perReplica : incarnations) {
            if (perReplica.isEmpty()) {
                throw new IllegalArgumentException("every replica has at least one incarnation");
            }
            copies.add(List.copyOf(perReplica));
        }
        incarnations = List.copyOf(copies);
        sentRequests = Collections.unmodifiableSortedMap(new TreeMap<>(sentRequests));
        clients = List.copyOf(clients);
        if (incarnations.size() != replicaCount) {
            throw new IllegalArgumentException("need the incarnations of each of the " + replicaCount + " replicas");
        }
    }

    /** A run in which no replica restarted: one incarnation each. */
    public RunHistory(int replicaCount, SortedSet<Integer> correctReplicas, List<List<Execution>> executions,
            List<SortedMap<Long, ByteString>> checkpointDigests, SortedMap<RequestId, Request> sentRequests,
            List<ClientHistory> clients, long endMillis, long deadlineMillis) {
        this(replicaCount, correctReplicas, singleIncarnations(executions, checkpointDigests), sentRequests, clients,
                endMillis, deadlineMillis);
    }

    private static List<List<Incarnation>> singleIncarnations(List<List<Execution>> executions,
            List<SortedMap<Long, ByteString>> checkpointDigests) {
        if (executions.size() != checkpointDigests.size()) {
            throw new IllegalArgumentException("need one execution list and one digest map per replica");
        }
        List<List<Incarnation>> incarnations = new ArrayList<>();
        for (int replica = 0; replica < executions.size(); replica++) {
            incarnations.add(List.of(new Incarnation(executions.get(replica), checkpointDigests.get(replica))));
        }
        return incarnations;
    }

    /** Per replica, every execution of all its incarnations, in order (a restart repeats some). */
    public List<List<Execution>> executions() {
        List<List<Execution>> executions = new ArrayList<>(replicaCount);
        for (List<Incarnation> perReplica : incarnations) {
            List<Execution> all = new ArrayList<>();
            perReplica.forEach(incarnation -> all.addAll(incarnation.executions()));
            executions.add(all);
        }
        return executions;
    }

    /** Per replica, the state digest it first had after each checkpoint, over all its incarnations. */
    public List<SortedMap<Long, ByteString>> checkpointDigests() {
        List<SortedMap<Long, ByteString>> digests = new ArrayList<>(replicaCount);
        for (List<Incarnation> perReplica : incarnations) {
            SortedMap<Long, ByteString> first = new TreeMap<>();
            perReplica.forEach(incarnation -> incarnation.checkpointDigests().forEach(first::putIfAbsent));
            digests.add(first);
        }
        return digests;
    }

    /** The last sequence number replica {@code replica} executed, in its latest incarnation that executed any. */
    public long lastExecuted(int replica) {
        List<Incarnation> perReplica = incarnations.get(replica);
        for (int i = perReplica.size() - 1; i >= 0; i--) {
            List<Execution> executions = perReplica.get(i).executions();
            if (!executions.isEmpty()) {
                return executions.get(executions.size() - 1).sequence();
            }
        }
        return 0;
    }

    /** An execution and the correct replica that carried it out. */
    public record Executed(int replica, Execution execution) {}

    /**
     * Per sequence number, what the first correct replica (lowest id) to execute it executed there:
     * the reference that agreement and total order hold the others to, sequence by sequence, since a
     * replica that installed a checkpoint by state transfer skipped some.
     */
    public SortedMap<Long, Executed> firstExecutions() {
        SortedMap<Long, Executed> bySequence = new TreeMap<>();
        for (int replica : correctReplicas) {
            for (Incarnation incarnation : incarnations.get(replica)) {
                for (Execution execution : incarnation.executions()) {
                    bySequence.putIfAbsent(execution.sequence(), new Executed(replica, execution));
                }
            }
        }
        return bySequence;
    }

    /**
     * {@link #firstExecutions()} from sequence number 1 on, as far as there is no gap: the order
     * replaying which from an empty state gives the service's state, even when every replica skipped
     * some sequence numbers by state transfer.
     */
    public List<Execution> agreedExecutions() {
        List<Execution> agreed = new ArrayList<>();
        long expected = 1;
        for (Executed executed : firstExecutions().values()) {
            if (executed.execution().sequence() != expected++) {
                break;
            }
            agreed.add(executed.execution());
        }
        return agreed;
    }
}
