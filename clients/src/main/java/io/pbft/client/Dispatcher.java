package io.pbft.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.crypto.SessionKey;
import io.pbft.wire.WireCodec;
import io.pbft.wire.proto.ClientFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client's part of PBFT for one client, confined to the client's own thread: requests go out
 * one at a time in call order with increasing timestamps; each goes first to the primary of the
 * highest view seen, then, every retransmit interval without a result, to every replica with a
 * fresh authenticator; a result is accepted on f + 1 matching replies ({@link ReplyQuorum}).
 */
final class Dispatcher {

    /** One call of {@code invoke}. */
    record Call(byte[] operation, CompletableFuture<byte[]> future) {}

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
    }

    private final long clientId;
    private final int f;
    private final ReplicaLink[] links;
    private final long retransmitNanos;
    private final long timeoutNanos;
    private final ScheduledExecutorService thread;
    private final Executor callbacks;
    private final ClientStats stats;
    private final ArrayDeque<Call> queue = new ArrayDeque<>();
    private Outstanding current;
    private long lastTimestamp;
    private long knownView;
    private boolean anySent;
    private boolean closed;

    Dispatcher(long clientId, int f, ReplicaLink[] links, long retransmitMillis, long timeoutMillis,
            ScheduledExecutorService thread, Executor callbacks, ClientStats stats) {
        this.clientId = clientId;
        this.f = f;
        this.links = links;
        this.retransmitNanos = TimeUnit.MILLISECONDS.toNanos(retransmitMillis);
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.thread = thread;
        this.callbacks = callbacks;
        this.stats = stats;
    }

    // All methods below run on the client thread.

    void submit(Call call) {
        if (closed) {
            fail(call.future(), notSentClosed());
            return;
        }
        queue.add(call);
        issueNext();
    }

    void onSession() {
        if (current != null && current.waitingForSessions && allSessions()) {
            current.timer.cancel(false);
            sendToPrimary();
        }
    }

    void onReply(Reply reply) {
        Outstanding request = current;
        if (request == null || reply.timestamp() != request.request.timestamp()) {
            return; // a late reply to a request already decided
        }
        Optional<ByteString> result = request.quorum.offer(reply);
        if (result.isEmpty()) {
            return;
        }
        knownView = Math.max(knownView, request.quorum.viewVouchedFor());
        finish();
        stats.requestCompleted();
        complete(request.call.future(), result.get().toByteArray());
        issueNext();
    }

    void close() {
        closed = true;
        if (current != null) {
            Outstanding request = current;
            finish();
            fail(request.call.future(), request.sent
                    ? new ClientClosedException("client closed while request " + request.request.timestamp()
                            + " was outstanding: it may or may not execute")
                    : notSentClosed());
        }
        for (Call call : queue) {
            fail(call.future(), notSentClosed());
        }
        queue.clear();
    }

    private void issueNext() {
        while (current == null && !queue.isEmpty() && !closed) {
            Call call = queue.poll();
            if (call.future().isDone()) {
                continue; // cancelled by the caller before its turn
            }
            long timestamp = Math.max(lastTimestamp + 1, System.currentTimeMillis() * 1000);
            lastTimestamp = timestamp;
            long now = System.nanoTime();
            current = new Outstanding(call, Request.of(clientId, timestamp, ByteString.copyFrom(call.operation())),
                    new ReplyQuorum(clientId, timestamp, f), now + timeoutNanos);
            if (!anySent && !allSessions()) {
                // The first request waits (bounded) for every handshake, so that every replica can check it.
                current.waitingForSessions = true;
                current.waitForSessionsUntilNanos = Math.min(now + retransmitNanos, current.deadlineNanos);
                schedule(current.waitForSessionsUntilNanos - now);
            } else {
                sendToPrimary();
            }
        }
    }

    private void sendToPrimary() {
        Outstanding request = current;
        request.waitingForSessions = false;
        anySent = true;
        int primary = (int) Math.floorMod(knownView, (long) links.length);
        if (links[primary].send(frame(request.request))) {
            request.sent = true;
        }
        schedule(retransmitNanos);
    }

    private void onTimer() {
        Outstanding request = current;
        if (request == null) {
            return;
        }
        long now = System.nanoTime();
        if (request.waitingForSessions) {
            sendToPrimary();
            return;
        }
        if (now - request.deadlineNanos >= 0) {
            finish();
            if (request.sent) {
                stats.requestTimedOut();
                fail(request.call.future(), new TimeoutException("no f + 1 matching replies to request "
                        + request.request.timestamp() + " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                        + " ms: it may or may not execute"));
            } else {
                fail(request.call.future(), new RejectedException(RejectedException.Reason.NO_REPLICA_REACHABLE,
                        "no replica had a completed handshake within "
                                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; the request was not sent"));
            }
            issueNext();
            return;
        }
        stats.retransmitted();
        byte[] frame = frame(request.request);
        for (ReplicaLink link : links) {
            if (link.send(frame)) {
                request.sent = true;
            }
        }
        schedule(Math.min(retransmitNanos, request.deadlineNanos - now));
    }

    /** Clears the outstanding request and its timer. */
    private void finish() {
        if (current.timer != null) {
            current.timer.cancel(false);
        }
        current = null;
    }

    private void schedule(long delayNanos) {
        Outstanding request = current;
        try {
            request.timer = thread.schedule(() -> {
                if (current == request) {
                    onTimer();
                }
            }, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
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
        // Callers' continuations run on the callback thread, never on the client's own.
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
