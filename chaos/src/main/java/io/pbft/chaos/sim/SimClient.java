package io.pbft.chaos.sim;

import com.google.protobuf.ByteString;
import io.pbft.chaos.check.ClientHistory;
import io.pbft.chaos.check.ClientOperation;
import io.pbft.chaos.check.RequestId;
import io.pbft.chaos.sim.SimEvent.ClientIssue;
import io.pbft.chaos.sim.SimEvent.ClientRetransmit;
import io.pbft.client.ReplyQuorum;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A simulated client in a closed loop: one request outstanding at a time, timestamps 1, 2, 3...,
 * sent to the primary it believes in and, when no 2f + 1 matching replies came in time, to every
 * replica. Accepts a result by the same {@link ReplyQuorum} rule as the real client with its
 * default {@code readOnlySafeWrites}: 2f + 1 matching replies. Gets go read-only, to every replica,
 * and are ordered instead when their replies cannot agree or do not in time, as the real client's
 * {@code invokeReadOnly}.
 *
 * <p>Or a Byzantine one ({@link Mode}): a client is authenticated, not trusted, and what one can
 * send must cost the honest ones nothing but a share of the cluster.
 */
final class SimClient {

    /** How a client behaves; the spec names of {@code --byzantine-client}. */
    enum Mode {
        HONEST("honest"),
        /**
         * Sends {@link #FLOOD_FACTOR} times its planned requests, one every millisecond, each to every
         * replica, and waits for nothing. Its results are not observed, so it plans none for the
         * checkers; what it wrote is in the agreed order they replay.
         */
        FLOOD("flood"),
        /**
         * A closed loop as an honest client's, but with each new request it sends up to three of its
         * old ones again, to every replica: an executed request must never execute twice.
         */
        REPLAY_OLD("replay-old"),
        /**
         * A closed loop as an honest client's, but it signs two different operations under each
         * timestamp: both go to the primary it believes in, and each other replica gets one or the
         * other, drawn at random, first and on every retransmission. At most one of the two may
         * execute, once, and the client must still get f + 1 matching replies for its timestamp.
         */
        TWO_OPS("two-ops"),
        /**
         * Sends as many requests as an honest client plans, one every millisecond, each to every
         * replica, waiting for nothing, and every one malformed in what the core and the service
         * see: bytes that are no operation, an operation larger than any batch may hold, an empty
         * one, or a write marked read-only. A service must answer the first three alike everywhere
         * or the core refuse them, and the last must change nothing.
         */
        MALFORMED("malformed");

        final String spec;

        Mode(String spec) {
            this.spec = spec;
        }

        /** The mode {@code spec} names; an IllegalArgumentException naming the known ones otherwise. */
        static Mode of(String spec) {
            for (Mode mode : values()) {
                if (mode != HONEST && mode.spec.equals(spec.trim())) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("unknown client behaviour '" + spec + "'; known: flood, replay-old, two-ops, malformed");
        }
    }

    static final int FLOOD_FACTOR = 10;
    /** How many of the workload's operations a Byzantine client draws looking for one of the kind it wants. */
    private static final int OPERATION_DRAWS = 8;
    private static final int REPLAYED_PER_REQUEST = 3;

    /** Retransmission timeouts double up to this multiple of the first one. */
    private static final int MAX_BACKOFF_FACTOR = 8;
    /** Clients pause up to this long between one result and the next request. */
    private static final int MAX_THINK_MILLIS = 5;

    private final int index;
    private final long clientId;
    private final int requestsPlanned;
    private final int f;
    private final int replicaCount;
    private final long retransmitMillis;
    private final Random random;
    private final EventQueue events;
    private final SimNetwork network;
    private final Map<RequestId, Request> sentRequests;
    private final Workload.ClientOperations workload;
    private final List<Lull> lulls;
    private final List<ClientOperation> completed = new ArrayList<>();
    private Outstanding outstanding;
    private long nextTimestamp = 1;
    private long knownView;

    private static final class Outstanding {
        final Request request;
        final Workload.Operation operation;
        final ReplyQuorum quorum;
        final long callMillis;
        int retransmissions;

        Outstanding(Request request, Workload.Operation operation, ReplyQuorum quorum, long callMillis) {
            this.request = request;
            this.operation = operation;
            this.quorum = quorum;
            this.callMillis = callMillis;
        }

        ClientOperation toOperation(long returnMillis, ByteString result) {
            return new ClientOperation(RequestId.of(request), operation.description(), request.operation(),
                    callMillis, returnMillis, result, retransmissions, request.readOnly());
        }
    }

    private final Mode mode;
    private final int plannedByConfig;
    /** A replaying client's requests so far, to send again. */
    private final List<Request> sent = new ArrayList<>();
    private final int maxBatchBytes;
    /** A two-ops client's other operation under each timestamp (the first is in the run's sent requests). */
    private final SortedMap<RequestId, Request> secondOperations = new TreeMap<>();

    SimClient(int index, long clientId, SimulationConfig config, Random random, EventQueue events,
            SimNetwork network, Map<RequestId, Request> sentRequests, Workload.ClientOperations workload) {
        this(index, clientId, config, random, events, network, sentRequests, workload, Mode.HONEST);
    }

    SimClient(int index, long clientId, SimulationConfig config, Random random, EventQueue events,
            SimNetwork network, Map<RequestId, Request> sentRequests, Workload.ClientOperations workload, Mode mode) {
        this.index = index;
        this.clientId = clientId;
        this.mode = mode;
        this.requestsPlanned = mode == Mode.FLOOD || mode == Mode.MALFORMED ? 0 : config.requestsPerClient();
        this.maxBatchBytes = config.replicaConfig(0).maxBatchBytes();
        this.f = config.f();
        this.replicaCount = config.replicaCount();
        this.retransmitMillis = config.clientRetransmitMillis();
        this.random = random;
        this.events = events;
        this.network = network;
        this.sentRequests = sentRequests;
        this.workload = workload;
        this.lulls = config.lulls();
        this.plannedByConfig = config.requestsPerClient();
    }

    void issueNext() {
        for (Lull lull : lulls) {
            if (lull.holds(events.nowMillis())) {
                events.at(lull.untilMillis(), new ClientIssue(index));
                return;
            }
        }
        if (mode == Mode.FLOOD) {
            flood();
            return;
        }
        if (mode == Mode.MALFORMED) {
            malformed();
            return;
        }
        if (outstanding != null || done()) {
            return;
        }
        long timestamp = nextTimestamp;
        Workload.Operation operation = workload.next(random, timestamp);
        // A two-ops client orders all it sends: its point is two operations under one timestamp.
        Request request = send(operation, operation.readOnly() && mode != Mode.TWO_OPS, events.nowMillis());
        ByteString otherOperation = mode == Mode.TWO_OPS ? secondOperation(operation, timestamp) : null;
        if (otherOperation != null) {
            Request other = request(timestamp, otherOperation);
            secondOperations.put(RequestId.of(other), other);
            network.sendRequest((int) Math.floorMod(knownView, (long) replicaCount), other);
            sendSplit(request, other, (int) Math.floorMod(knownView, (long) replicaCount));
        }
        if (mode == Mode.REPLAY_OLD) {
            for (int i = 0; i < REPLAYED_PER_REQUEST && !sent.isEmpty(); i++) {
                sendToAll(sent.get(random.nextInt(sent.size())));
            }
            sent.add(request);
        }
    }

    /**
     * Sends {@code operation} as the next request: read-only to every replica, or ordered to the
     * primary this client believes in. An authenticator of the right shape with no MACs: whether a
     * replica can authenticate the request is the simulation's model
     * (SimulationConfig#unverifiedPrePrepareProbability).
     */
    private Request send(Workload.Operation operation, boolean readOnly, long callMillis) {
        long timestamp = nextTimestamp++;
        Request request = request(timestamp, operation.bytes(), readOnly);
        sentRequests.put(RequestId.of(request), request);
        outstanding = new Outstanding(request, operation, new ReplyQuorum(clientId, timestamp, f, 2 * f + 1),
                callMillis);
        if (readOnly) {
            sendToAll(request);
        } else {
            network.sendRequest((int) Math.floorMod(knownView, (long) replicaCount), request);
        }
        events.after(retransmitMillis, new ClientRetransmit(index, timestamp));
        return request;
    }

    /** The read-only get outstanding got no 2f + 1 matching replies, or cannot: it is ordered instead. */
    private void orderInstead() {
        Outstanding readOnly = outstanding;
        send(readOnly.operation, false, readOnly.callMillis);
        outstanding.retransmissions = readOnly.retransmissions;
    }

    /** One more request of the flood, to every replica, and the next a millisecond later. */
    private void flood() {
        if (nextTimestamp > (long) FLOOD_FACTOR * plannedByConfig) {
            return;
        }
        long timestamp = nextTimestamp++;
        Request request = request(timestamp, workload.next(random, timestamp).bytes());
        sentRequests.put(RequestId.of(request), request);
        sendToAll(request);
        events.after(1, new ClientIssue(index));
    }

    /** One more malformed request ({@link Mode#MALFORMED}), to every replica, and the next a millisecond later. */
    private void malformed() {
        if (nextTimestamp > plannedByConfig) {
            return;
        }
        long timestamp = nextTimestamp++;
        Request request = switch (random.nextInt(4)) {
            case 0 -> request(timestamp, randomBytes(1 + random.nextInt(64)));
            case 1 -> request(timestamp, randomBytes(maxBatchBytes + 1));
            case 2 -> request(timestamp, ByteString.EMPTY);
            default -> request(timestamp, writeOperation(timestamp), true);
        };
        sentRequests.put(RequestId.of(request), request);
        sendToAll(request);
        events.after(1, new ClientIssue(index));
    }

    private ByteString randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return ByteString.copyFrom(bytes);
    }

    /** An operation of the workload that may change the state, or empty if a few draws give none. */
    private ByteString writeOperation(long timestamp) {
        for (int draw = 0; draw < OPERATION_DRAWS; draw++) {
            Workload.Operation operation = workload.next(random, timestamp);
            if (!operation.readOnly()) {
                return operation.bytes();
            }
        }
        return ByteString.EMPTY;
    }

    /**
     * An authenticator of the right shape with no MACs: whether a replica can authenticate the
     * request is the simulation's model (SimulationConfig#unverifiedPrePrepareProbability).
     */
    private Request request(long timestamp, ByteString operation) {
        return request(timestamp, operation, false);
    }

    private Request request(long timestamp, ByteString operation, boolean readOnly) {
        return new Request(clientId, timestamp, operation, readOnly, Collections.nCopies(replicaCount, ByteString.EMPTY));
    }

    /**
     * Another operation than {@code first} for the same timestamp: the first of a few of the
     * workload's next draws that differs, or null (the timestamp then carries one operation) for a
     * workload that keeps drawing the same one.
     */
    private ByteString secondOperation(Workload.Operation first, long timestamp) {
        for (int draw = 0; draw < OPERATION_DRAWS; draw++) {
            ByteString second = workload.next(random, timestamp).bytes();
            if (!second.equals(first.bytes())) {
                return second;
            }
        }
        return null;
    }

    /** One operation or the other to each replica but {@code except}, drawn at random. */
    private void sendSplit(Request first, Request second, int except) {
        for (int replica = 0; replica < replicaCount; replica++) {
            if (replica != except) {
                network.sendRequest(replica, random.nextBoolean() ? first : second);
            }
        }
    }

    private void sendToAll(Request request) {
        for (int replica = 0; replica < replicaCount; replica++) {
            network.sendRequest(replica, request);
        }
    }

    void onRetransmitTimer(long timestamp) {
        if (outstanding == null || outstanding.request.timestamp() != timestamp) {
            return; // answered in time
        }
        if (outstanding.request.readOnly()) {
            orderInstead();
            return;
        }
        outstanding.retransmissions++;
        Request second = secondOperations.get(RequestId.of(outstanding.request));
        if (second != null) {
            sendSplit(outstanding.request, second, -1);
        } else {
            for (int replica = 0; replica < replicaCount; replica++) {
                network.sendRequest(replica, outstanding.request);
            }
        }
        long backoff = Math.min(1L << Math.min(outstanding.retransmissions, 30), MAX_BACKOFF_FACTOR);
        events.after(retransmitMillis * backoff, new ClientRetransmit(index, timestamp));
    }

    void onReply(int from, Reply reply) {
        if (outstanding == null) {
            return; // a late or duplicated reply to a request already accepted
        }
        if (reply.replica() != from) {
            return; // the reply's authenticator would not verify: it names a replica that did not send it
        }
        Optional<ByteString> result = outstanding.quorum.offer(reply);
        if (result.isEmpty()) {
            if (outstanding.request.readOnly() && !outstanding.quorum.canStillAgree(replicaCount)) {
                orderInstead();
            }
            return;
        }
        knownView = Math.max(knownView, outstanding.quorum.viewVouchedFor());
        completed.add(outstanding.toOperation(events.nowMillis(), result.get()));
        if (mode != Mode.TWO_OPS) { // it cannot know which of its two operations the result is of
            workload.onResult(outstanding.operation, result.get());
        }
        outstanding = null;
        if (!done()) {
            events.after(random.nextInt(MAX_THINK_MILLIS + 1), new ClientIssue(index));
        }
    }

    boolean done() {
        return completed.size() >= requestsPlanned;
    }

    /** A two-ops client's other operation under each of its timestamps; empty for every other client. */
    SortedMap<RequestId, Request> secondOperations() {
        return Collections.unmodifiableSortedMap(secondOperations);
    }

    long clientId() {
        return clientId;
    }

    int completedCount() {
        return completed.size();
    }

    ClientHistory history() {
        List<ClientOperation> operations = new ArrayList<>(completed);
        if (outstanding != null) {
            operations.add(outstanding.toOperation(ClientOperation.NOT_RETURNED, ByteString.EMPTY));
        }
        return new ClientHistory(clientId, requestsPlanned, operations);
    }
}
