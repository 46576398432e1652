package io.pbft.chaos.check;

import com.google.protobuf.ByteString;
import io.pbft.core.Execution;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

/** Builds fabricated run histories for checker tests: what each replica executed and what each client saw. */
final class Histories {

    private final int replicaCount;
    /** Per replica, per incarnation, what it executed and its digests at checkpoints. */
    private final List<List<List<Execution>>> executions = new ArrayList<>();
    private final List<List<SortedMap<Long, ByteString>>> digests = new ArrayList<>();
    private final SortedMap<RequestId, Request> sent = new TreeMap<>();
    private final List<ClientHistory> clients = new ArrayList<>();
    private final TreeSet<Integer> correct = new TreeSet<>();
    private long endMillis = 1_000;
    private long deadlineMillis = 10_000;

    Histories(int replicaCount) {
        this.replicaCount = replicaCount;
        for (int i = 0; i < replicaCount; i++) {
            executions.add(new ArrayList<>());
            digests.add(new ArrayList<>());
            restarts(i);
            correct.add(i);
        }
    }

    /** Replica {@code replica} crashes and restarts: what it does from now on is its next incarnation's. */
    Histories restarts(int replica) {
        executions.get(replica).add(new ArrayList<>());
        digests.get(replica).add(new TreeMap<>());
        return this;
    }

    static Request request(long clientId, long timestamp) {
        return Request.of(clientId, timestamp, bytes("op-" + clientId + "-" + timestamp));
    }

    static ByteString bytes(String text) {
        return ByteString.copyFrom(text, StandardCharsets.UTF_8);
    }

    /** Records that a client sent these requests. */
    Histories sent(Request... requests) {
        for (Request request : requests) {
            sent.put(RequestId.of(request), request);
        }
        return this;
    }

    /** Replica {@code replica} executes {@code batch} at {@code sequence}. */
    Histories executes(int replica, long sequence, Request... batch) {
        List<Request> requests = List.of(batch);
        current(executions.get(replica)).add(new Execution(sequence, PrePrepare.digestOf(requests), requests, false));
        return this;
    }

    /** Replica {@code replica} executes {@code batch} at checkpoint {@code sequence}, its state digest then {@code digest}. */
    Histories executesCheckpoint(int replica, long sequence, ByteString digest, Request... batch) {
        List<Request> requests = List.of(batch);
        current(executions.get(replica)).add(new Execution(sequence, PrePrepare.digestOf(requests), requests, true));
        return checkpoint(replica, sequence, digest);
    }

    /** Every replica executes {@code batch} at {@code sequence}. */
    Histories allExecute(long sequence, Request... batch) {
        IntStream.range(0, replicaCount).forEach(replica -> executes(replica, sequence, batch));
        return this;
    }

    Histories checkpoint(int replica, long sequence, ByteString digest) {
        current(digests.get(replica)).put(sequence, digest);
        return this;
    }

    Histories client(long clientId, int planned, ClientOperation... operations) {
        clients.add(new ClientHistory(clientId, planned, List.of(operations)));
        return this;
    }

    Histories faulty(int replica) {
        correct.remove(replica);
        return this;
    }

    Histories ended(long end, long deadline) {
        this.endMillis = end;
        this.deadlineMillis = deadline;
        return this;
    }

    RunHistory build() {
        List<List<RunHistory.Incarnation>> incarnations = new ArrayList<>();
        for (int replica = 0; replica < replicaCount; replica++) {
            List<RunHistory.Incarnation> lives = new ArrayList<>();
            for (int i = 0; i < executions.get(replica).size(); i++) {
                lives.add(new RunHistory.Incarnation(executions.get(replica).get(i), digests.get(replica).get(i)));
            }
            incarnations.add(lives);
        }
        return new RunHistory(replicaCount, correct, incarnations, sent, clients, endMillis, deadlineMillis);
    }

    private static <T> T current(List<T> incarnations) {
        return incarnations.get(incarnations.size() - 1);
    }

    static ClientOperation returned(Request request, long callMillis, long returnMillis, ByteString result) {
        return new ClientOperation(
                RequestId.of(request), "op", request.operation(), callMillis, returnMillis, result, 0);
    }

    /** A read-only operation accepted from 2f + 1 matching replies: in no replica's order. */
    static ClientOperation readOnly(Request request, long callMillis, long returnMillis, ByteString result) {
        return new ClientOperation(
                RequestId.of(request), "read-only", request.operation(), callMillis, returnMillis, result, 0, true);
    }

    static ClientOperation pending(Request request, long callMillis) {
        return new ClientOperation(RequestId.of(request), "op", request.operation(), callMillis,
                ClientOperation.NOT_RETURNED, ByteString.EMPTY, 0);
    }
}
