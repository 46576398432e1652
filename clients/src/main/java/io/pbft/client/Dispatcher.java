package io.pbft.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SigningKey;
import io.pbft.wire.ClientIds;
import io.pbft.wire.ClientSignatures;
import io.pbft.wire.WireCodec;
import io.pbft.wire.proto.ClientFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Queue;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The client's part of PBFT for one client, confined to its {@link DispatchLoop} (a transport I/O
 * thread): requests go out in call order with increasing timestamps, up to a window of them
 * outstanding at once; each goes first to the primary of the highest view seen, then, after the
 * escalation delay and every retransmit interval after that without a result, to every replica
 * with a fresh authenticator; a result is accepted on {@code orderedQuorum} matching replies
 * ({@link ReplyQuorum}). A read-only call goes to every replica at once and is accepted on 2f + 1
 * matching replies; when they cannot agree, or do not within a retransmit interval, it goes out
 * again as an ordered request.
 * Each request has its own timers and deadline. Futures are completed through the callback
 * executor, which may run the caller's continuations inline: every method leaves the state
 * consistent before it completes a future, since a continuation may call back in ({@code invoke},
 * {@code close}).
 *
 * <p>The window is a sliding window over timestamps, as the replicas' client table keeps it: a
 * request goes out only if its timestamp is less than {@code window} above the oldest outstanding
 * one. The replicas refuse a timestamp their window has passed, and with this rule none that is
 * still outstanding ever falls below theirs, whatever order they execute the requests in. While
 * requests are outstanding the timestamps are consecutive; an idle client starts again from its
 * clock, so that a client restarted with the same identity keeps them increasing.
 */
final class Dispatcher {

    /** One call of {@code invoke}, or of {@code invokeReadOnly} when {@code readOnly}. */
    record Call(byte[] operation, CompletableFuture<byte[]> future, boolean readOnly) {
        Call(byte[] operation, CompletableFuture<byte[]> future) {
            this(operation, future, false);
        }
    }

    /** A read-only call that goes out again ordered, when the window has room, by its first deadline. */
    private record Reordered(Call call, long deadlineNanos) {}

    private static final class Outstanding {
        final Call call;
        final Request request;
        final ReplyQuorum quorum;
        final long deadlineNanos;
        /** Before the client's first send: wait until this for sessions with every replica. */
        long waitForSessionsUntilNanos;
        boolean waitingForSessions;
        boolean sent;
        ScheduledFuture<?> timer;

        Outstanding(Call call, Request request, ReplyQuorum quorum, long deadlineNanos) {
            this.call = call;
            this.request = request;
            this.quorum = quorum;
            this.deadlineNanos = deadlineNanos;
        }

        long timestamp() {
            return request.timestamp();
        }
    }

    private final SigningKey identity;
    private final long clientId;
    private final int f;
    /** Matching replies an ordered request needs: 2f + 1 where reads are read-only, else f + 1. */
    private final int orderedQuorum;
    private final ReplicaLink[] links;
    private final long escalateNanos;
    private final long retransmitNanos;
    private final long timeoutNanos;
    private final int window;
    private final DispatchLoop loop;
    private final Executor callbacks;
    private final ClientStats stats;
    /**
     * Filled by the calling threads, drained on the loop. Calls join it in the caller, not on the
     * loop: a call made on the loop runs inline and would otherwise overtake a call made before it
     * on another thread whose hand-off to the loop is still queued.
     */
    private final Queue<Call> queue = new ConcurrentLinkedQueue<>();
    /** By timestamp: the first is the oldest, which bounds the window. */
    private final NavigableMap<Long, Outstanding> outstanding = new TreeMap<>();
    /** Read-only calls to order, ahead of the queue: they were called before anything in it. */
    private final Deque<Reordered> reordered = new ArrayDeque<>();
    private long lastTimestamp;
    private long knownView;
    private boolean anySent;
    private boolean closed;

    Dispatcher(SigningKey identity, int f, int orderedQuorum, ReplicaLink[] links, long escalateMillis,
            long retransmitMillis, long timeoutMillis, int window, DispatchLoop loop, Executor callbacks,
            ClientStats stats) {
        this.identity = identity;
        this.clientId = ClientIds.fromPublicKey(identity.publicKey());
        this.f = f;
        this.orderedQuorum = orderedQuorum;
        this.links = links;
        this.escalateNanos = TimeUnit.MILLISECONDS.toNanos(escalateMillis);
        this.retransmitNanos = TimeUnit.MILLISECONDS.toNanos(retransmitMillis);
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.window = window;
        this.loop = loop;
        this.callbacks = callbacks;
        this.stats = stats;
    }

    /** Queues {@code call} behind the calls made before it; any thread. {@link #issueQueued} sends it. */
    void enqueue(Call call) {
        queue.add(call);
    }

    // All methods below run on the loop.

    /** Sends queued calls while the window has room; fails what is queued once closed. */
    void issueQueued() {
        if (closed) {
            failQueued();
        } else {
            issueNext();
        }
    }

    void onSession() {
        if (!allSessions()) {
            return;
        }
        for (Outstanding request : List.copyOf(outstanding.values())) {
            if (request.waitingForSessions) {
                cancelTimer(request);
                sendFirst(request);
            }
        }
    }

    void onReply(Reply reply) {
        Outstanding request = outstanding.get(reply.timestamp());
        if (request == null) {
            return; // a late reply to a request already decided
        }
        Optional<ByteString> result = request.quorum.offer(reply);
        if (result.isEmpty()) {
            if (request.request.readOnly() && !request.quorum.canStillAgree(links.length)) {
                orderInstead(request);
            }
            return;
        }
        knownView = Math.max(knownView, request.quorum.viewVouchedFor());
        finish(request);
        stats.requestCompleted();
        if (request.request.readOnly()) {
            stats.answeredReadOnly();
        }
        complete(request.call.future(), result.get().toByteArray());
        issueNext();
    }

    /**
     * A connect attempt failed. If no replica was ever reached and each refused (or could not be
     * reached), the requests not sent yet fail now rather than at their timeout: nobody listens,
     * and they certainly did not execute.
     */
    void onConnectFailed() {
        if (!noReplicaEverReached()) {
            return;
        }
        for (Outstanding request : List.copyOf(outstanding.values())) {
            if (!request.sent) {
                finish(request);
                fail(request.call.future(), unreachable());
            }
        }
        issueNext();
    }

    void close() {
        closed = true;
        for (Outstanding request : List.copyOf(outstanding.values())) {
            finish(request);
            fail(request.call.future(), request.sent
                    ? new ClientClosedException("client closed while request " + request.timestamp()
                            + " was outstanding: it may or may not execute")
                    : notSentClosed());
        }
        failQueued();
    }

    private void failQueued() {
        for (Reordered call = reordered.poll(); call != null; call = reordered.poll()) {
            fail(call.call().future(), notSentClosed());
        }
        for (Call call = queue.poll(); call != null; call = queue.poll()) {
            fail(call.future(), notSentClosed());
        }
    }

    /** Whether the next timestamp stays within the window of the oldest outstanding one. */
    private boolean windowHasRoom() {
        return outstanding.isEmpty() || lastTimestamp + 1 - outstanding.firstKey() < window;
    }

    private void issueNext() {
        while (windowHasRoom() && !closed) {
            Reordered again = reordered.poll();
            if (again != null) {
                if (!again.call().future().isDone()) {
                    sendFirst(issue(again.call(), false, again.deadlineNanos()));
                }
                continue;
            }
            Call call = queue.poll();
            if (call == null) {
                return;
            }
            if (call.future().isDone()) {
                continue; // cancelled by the caller before its turn
            }
            if (!anySent && noReplicaEverReached()) {
                fail(call.future(), unreachable());
                continue;
            }
            long now = System.nanoTime();
            Outstanding request = issue(call, call.readOnly(), now + timeoutNanos);
            if (!anySent && !allSessions()) {
                // The first requests wait (bounded) for every handshake, so that every replica can check them.
                request.waitingForSessions = true;
                request.waitForSessionsUntilNanos = Math.min(now + retransmitNanos, request.deadlineNanos);
                schedule(request, request.waitForSessionsUntilNanos - now);
            } else {
                sendFirst(request);
            }
        }
    }

    /** {@code call} as an outstanding request with the next timestamp, read-only or ordered. */
    private Outstanding issue(Call call, boolean readOnly, long deadlineNanos) {
        long timestamp = outstanding.isEmpty()
                ? Math.max(lastTimestamp + 1, System.currentTimeMillis() * 1000)
                : lastTimestamp + 1;
        lastTimestamp = timestamp;
        Request request = new Request(clientId, timestamp, ByteString.copyFrom(call.operation()), readOnly, List.of());
        // An ordered request is signed once: retransmissions carry the same signature beside fresh
        // MACs. A read-only one is not: each replica answers it alone, on the MAC of its session.
        request = readOnly ? request : ClientSignatures.sign(identity, request);
        Outstanding issued = new Outstanding(call, request,
                new ReplyQuorum(clientId, timestamp, f, readOnly ? 2 * f + 1 : orderedQuorum), deadlineNanos);
        outstanding.put(timestamp, issued);
        return issued;
    }

    private void sendFirst(Outstanding request) {
        if (request.request.readOnly()) {
            sendReadOnly(request);
        } else {
            sendToPrimary(request);
        }
    }

    /** To every replica at once: 2f + 1 of them must answer alike, and there is no primary to ask. */
    private void sendReadOnly(Outstanding request) {
        request.waitingForSessions = false;
        anySent = true;
        sendToAll(request);
        schedule(request, Math.min(retransmitNanos, request.deadlineNanos - System.nanoTime()));
    }

    /**
     * The read-only request {@code readOnly} got no 2f + 1 matching replies, or cannot any more:
     * its call goes out again as an ordered request, with a new timestamp (late read-only replies
     * must not count towards the ordered result) and the same deadline, as soon as the window has
     * room for the new timestamp.
     */
    private void orderInstead(Outstanding readOnly) {
        finish(readOnly);
        stats.orderedReadOnly();
        reordered.add(new Reordered(readOnly.call, readOnly.deadlineNanos));
        issueNext();
    }

    private void sendToPrimary(Outstanding request) {
        request.waitingForSessions = false;
        anySent = true;
        int primary = (int) Math.floorMod(knownView, (long) links.length);
        if (links[primary].send(frame(request.request))) {
            request.sent = true;
        }
        // A timeout shorter than the escalation delay is honoured: the timer that fails the request
        // must not wait for a retransmission round that the deadline leaves no room for.
        schedule(request, Math.min(escalateNanos, request.deadlineNanos - System.nanoTime()));
    }

    private void onTimer(Outstanding request) {
        long now = System.nanoTime();
        if (request.waitingForSessions) {
            sendFirst(request);
            return;
        }
        if (now - request.deadlineNanos >= 0) {
            finish(request);
            if (request.sent) {
                stats.requestTimedOut();
                fail(request.call.future(), new RequestTimeoutException(request.timestamp(), request.quorum.required(),
                        TimeUnit.NANOSECONDS.toMillis(timeoutNanos), answers(request)));
            } else {
                fail(request.call.future(), new RejectedException(RejectedException.Reason.NO_REPLICA_REACHABLE,
                        "no replica had a completed handshake within "
                                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; the request was not sent"));
            }
            issueNext();
            return;
        }
        if (request.request.readOnly()) {
            orderInstead(request);
            return;
        }
        stats.retransmitted();
        sendToAll(request);
        schedule(request, Math.min(retransmitNanos, request.deadlineNanos - now));
    }

    private void sendToAll(Outstanding request) {
        byte[] frame = frame(request.request);
        for (ReplicaLink link : links) {
            if (link.send(frame)) {
                request.sent = true;
            }
        }
    }

    /** "from 4 replicas: 0 replied, the primary (replica 0) refused connection": what a timeout report says. */
    private String answers(Outstanding request) {
        int primary = (int) Math.floorMod(knownView, (long) links.length);
        return "from " + links.length + " replicas: " + request.quorum.repliesReceived() + " replied, the primary"
                + " (replica " + primary + ") " + links[primary].describe();
    }

    private boolean noReplicaEverReached() {
        for (ReplicaLink link : links) {
            if (!link.neverReached()) {
                return false;
            }
        }
        return true;
    }

    /** "no replica could be reached: replicas 0, 1, 2, 3 refused connection", grouped by what each did. */
    private RejectedException unreachable() {
        SortedMap<String, List<Integer>> byState = new TreeMap<>();
        for (ReplicaLink link : links) {
            byState.computeIfAbsent(link.describe(), state -> new ArrayList<>()).add(link.replica());
        }
        List<String> parts = new ArrayList<>();
        byState.forEach((state, replicas) -> parts.add((replicas.size() == 1 ? "replica " : "replicas ")
                + replicas.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " " + state));
        return new RejectedException(RejectedException.Reason.NO_REPLICA_REACHABLE,
                "no replica could be reached: " + String.join("; ", parts) + "; the request was not sent");
    }

    /** Clears the outstanding request and its timer. */
    private void finish(Outstanding request) {
        cancelTimer(request);
        outstanding.remove(request.timestamp());
    }

    private static void cancelTimer(Outstanding request) {
        if (request.timer != null) {
            request.timer.cancel(false); // null only if the loop refused it: its transport is closing
        }
    }

    private void schedule(Outstanding request, long delayNanos) {
        try {
            request.timer = loop.schedule(() -> {
                if (outstanding.get(request.timestamp()) == request) {
                    onTimer(request);
                }
            }, Math.max(0, delayNanos));
        } catch (RejectedExecutionException e) {
            // closing: close() fails the request
        }
    }

    /** The request with a fresh authenticator: one MAC per replica under its current session key, empty where none. */
    private byte[] frame(Request request) {
        byte[] digest = request.digest().toByteArray();
        List<ByteString> authenticator = new ArrayList<>(links.length);
        for (ReplicaLink link : links) {
            SessionKey key = link.session();
            authenticator.add(key == null ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(key.mac(digest)));
        }
        return ClientFrame.newBuilder()
                .setRequest(WireCodec.encode(request.withAuthenticator(authenticator)))
                .build()
                .toByteArray();
    }

    private boolean allSessions() {
        for (ReplicaLink link : links) {
            if (link.session() == null) {
                return false;
            }
        }
        return true;
    }

    private static RejectedException notSentClosed() {
        return new RejectedException(RejectedException.Reason.CLIENT_CLOSED,
                "client closed before the request was sent");
    }

    private void complete(CompletableFuture<byte[]> future, byte[] result) {
        // Continuations run where the caller chose (PbftClient.Builder#callbackExecutor); by
        // default on a thread of their own, so that one that blocks never stalls the I/O thread.
        try {
            callbacks.execute(() -> future.complete(result));
        } catch (RejectedExecutionException e) {
            future.complete(result);
        }
    }

    private void fail(CompletableFuture<byte[]> future, Throwable cause) {
        try {
            callbacks.execute(() -> future.completeExceptionally(cause));
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(cause);
        }
    }
}
