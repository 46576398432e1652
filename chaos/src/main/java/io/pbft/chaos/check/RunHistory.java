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
 * @param executions per replica, every {@link Execution} it carried out, in order
 * @param checkpointDigests per replica, the state machine's digest after each checkpoint execution
 * @param sentRequests every request a client sent, by id
 * @param clients per client, its history
 * @param endMillis the simulated time at which the run stopped
 * @param deadlineMillis the simulated time by which every client had to finish
 */
public record RunHistory(
        int replicaCount,
        SortedSet<Integer> correctReplicas,
        List<List<Execution>> executions,
        List<SortedMap<Long, ByteString>> checkpointDigests,
        SortedMap<RequestId, Request> sentRequests,
        List<ClientHistory> clients,
        long endMillis,
        long deadlineMillis) {

    public RunHistory {
        correctReplicas = Collections.unmodifiableSortedSet(new TreeSet<>(correctReplicas));
        List<List<Execution>> executionCopies = new ArrayList<>(executions.size());
        for (List<Execution> perReplica : executions) {
            executionCopies.add(List.copyOf(perReplica));
        }
        executions = List.copyOf(executionCopies);
        List<SortedMap<Long, ByteString>> digestCopies = new ArrayList<>(checkpointDigests.size());
        for (SortedMap<Long, ByteString> perReplica : checkpointDigests) {
            digestCopies.add(Collections.unmodifiableSortedMap(new TreeMap<>(perReplica)));
        }
        checkpointDigests = List.copyOf(digestCopies);
        sentRequests = Collections.unmodifiableSortedMap(new TreeMap<>(sentRequests));
        clients = List.copyOf(clients);
        if (executions.size() != replicaCount || checkpointDigests.size() != replicaCount) {
            throw new IllegalArgumentException("need one execution list and one digest map per replica, "
                    + replicaCount + " replicas");
        }
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
            for (Execution execution : executions.get(replica)) {
                bySequence.putIfAbsent(execution.sequence(), new Executed(replica, execution));
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
