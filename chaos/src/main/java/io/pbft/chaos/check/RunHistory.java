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

    /** The requests replica {@code replica} executed, in execution order. */
    public List<RequestId> executedRequests(int replica) {
        List<RequestId> order = new ArrayList<>();
        for (Execution execution : executions.get(replica)) {
            for (Request request : execution.requests()) {
                order.add(RequestId.of(request));
            }
        }
        return order;
    }

    /**
     * What the correct replicas executed, one execution per sequence number from 1 on, as far as
     * some correct replica executed every one (the first to execute a sequence number speaks for it;
     * agreement and total order check that the others did the same): the order replaying which from
     * an empty state gives the service's state, even when every replica skipped some sequence numbers
     * by state transfer.
     */
    public List<Execution> agreedExecutions() {
        SortedMap<Long, Execution> bySequence = new TreeMap<>();
        for (int replica : correctReplicas) {
            for (Execution execution : executions.get(replica)) {
                bySequence.putIfAbsent(execution.sequence(), execution);
            }
        }
        List<Execution> agreed = new ArrayList<>();
        long expected = 1;
        for (Execution execution : bySequence.values()) {
            if (execution.sequence() != expected++) {
                break;
            }
            agreed.add(execution);
        }
        return agreed;
    }

    /**
     * The correct replica that executed the most requests (the lowest id on a tie) among those that
     * executed every sequence number from 1 on (none installed a checkpoint fetched from peers, so
     * replaying its executions from an empty state gives its state), or -1 when there is none: the
     * others must agree with its order.
     */
    public int longestCorrectReplica() {
        int longest = -1;
        int longestSize = -1;
        for (int replica : correctReplicas) {
            int size = executedRequests(replica).size();
            if (executedFromTheStart(replica) && size > longestSize) {
                longest = replica;
                longestSize = size;
            }
        }
        return longest;
    }

    private boolean executedFromTheStart(int replica) {
        long expected = 1;
        for (Execution execution : executions.get(replica)) {
            if (execution.sequence() != expected++) {
                return false;
            }
        }
        return true;
    }
}
