package io.pbft.node;

import com.google.protobuf.ByteString;
import io.pbft.core.Effects;
import io.pbft.core.Replica;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.driver.DropReason;
import io.pbft.driver.EffectsCarrier;
import io.pbft.driver.Evidence;
import io.pbft.driver.InboundPipeline;
import io.pbft.execution.ServiceFailedException;
import io.pbft.statemachine.StateMachine;
import io.pbft.transport.IoThread;
import io.pbft.wire.ProvenEquivocation;
import io.pbft.wire.proto.Counter;
import io.pbft.wire.proto.EquivocationProof;
import io.pbft.wire.proto.StatusReport;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one {@link Replica} on a single thread (its own, or the transport's only I/O thread):
 * every input is queued to that thread (or, arriving on the shared I/O thread, applied at once),
 * applied to the core with the current time, and its effects carried out by the
 * {@link EffectsCarrier} the simulator uses too; then the next tick is scheduled. The core and the
 * state machine are touched by this thread only.
 *
 * <p>The input queue is bounded ({@link #MAX_QUEUED_INPUTS}): beyond it inputs are dropped and
 * counted as {@link DropReason#OVERLOADED}, since peers and clients retransmit.
 */
final class CoreLoop {

    static final int MAX_QUEUED_INPUTS = 100_000;
    private static final long SHUTDOWN_WAIT_MILLIS = 5_000;
    private static final Logger log = LoggerFactory.getLogger(CoreLoop.class);

    private final Replica replica;
    private final StateMachine stateMachine;
    private final NodeMetrics metrics;
    private final Evidence evidence;
    /** The one thread the core runs on: its own, or the transport's single I/O thread. */
    private final ScheduledExecutorService thread;
    private final boolean ownsThread;
    /** The transport's I/O thread when the core runs on it, else null. */
    private final IoThread ioThread;
    private final long startNanos = System.nanoTime();
    /** The wall clock when the loop was made: the core's time counts from it, so that the times a primary proposes are dates. */
    private final long startEpochMillis = System.currentTimeMillis();
    private final long maxTickIntervalMillis;
    private final AtomicInteger queued = new AtomicInteger();
    private final PendingRequests pendingRequests = new PendingRequests();
    private final AtomicBoolean requestsDrainScheduled = new AtomicBoolean();
    private final PausedClients pausedClients;
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private volatile boolean accepting = true;
    private volatile EffectsCarrier carrier;
    /** Called once, off the core thread's input, when the service threw: the node closes itself. */
    private volatile Consumer<ServiceFailedException> onServiceFailure = failure -> { };

    // Touched on the core thread only.
    private boolean running;
    private ScheduledFuture<?> pendingTick;
    private long pendingTickAtMillis = Effects.NO_WAKEUP;
    private long digestExecuted = -1;
    private ByteString digest = ByteString.EMPTY;

    /** A core on a thread of its own. */
    CoreLoop(Replica replica, StateMachine stateMachine, NodeMetrics metrics, Evidence evidence) {
        this(replica, stateMachine, metrics, evidence, ownThread(replica.id()), null);
    }

    /**
     * A core on the transport's only I/O thread, which it does not own: a message verified on
     * that thread is applied to the core at once, inline, and the core's frames leave without
     * crossing threads. Applying it at once also means that when the next frame is checked, the
     * core's answer to this one (a commit, say) is already known (see {@link io.pbft.driver.PreparedSlots}).
     */
    CoreLoop(Replica replica, StateMachine stateMachine, NodeMetrics metrics, Evidence evidence, IoThread sharedThread) {
        this(replica, stateMachine, metrics, evidence, sharedThread.executor(), sharedThread);
    }

    private CoreLoop(Replica replica, StateMachine stateMachine, NodeMetrics metrics, Evidence evidence,
            ScheduledExecutorService thread, IoThread ioThread) {
        this.replica = replica;
        this.stateMachine = stateMachine;
        this.metrics = metrics;
        this.evidence = evidence;
        this.maxTickIntervalMillis = replica.config().statusIntervalMillis();
        this.thread = thread;
        this.ioThread = ioThread;
        this.ownsThread = ioThread == null;
        this.pausedClients = new PausedClients(replica, () -> accepting);
    }

    private static ScheduledThreadPoolExecutor ownThread(int replicaId) {
        ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "pbft-core-" + replicaId);
            t.setDaemon(true);
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return thread;
    }

    /** Starts ticking; effects are carried out by {@code effectsCarrier} from now on. */
    void start(EffectsCarrier effectsCarrier) {
        start(effectsCarrier, replica::onTick);
    }

    /**
     * Starts with {@code firstInput} (a recovery from disk), on the core thread before any other
     * input; what arrives before it is dropped, as a message lost: peers and clients retransmit.
     */
    void start(EffectsCarrier effectsCarrier, LongFunction<Effects> firstInput) {
        try {
            thread.execute(() -> {
                carrier = effectsCarrier;
                run(carried(firstInput));
            });
        } catch (RejectedExecutionException e) {
            // closed before it started: nothing to run
        }
    }

    /** Where the inbound pipeline hands verified replica messages: queued to this loop's thread. */
    InboundPipeline.CoreInputs inputs() {
        return new InboundPipeline.CoreInputs() {
            @Override
            public void prePrepare(int from, Signed<PrePrepare> prePrepare, List<Request> batch,
                    boolean requestsAuthenticated) {
                submit(now -> replica.onPrePrepare(from, prePrepare, batch, requestsAuthenticated, now));
            }

            @Override
            public void signed(int from, Signed<?> signed) {
                submit(now -> replica.onSigned(from, signed, now));
            }

            @Override
            public void message(int from, ReplicaMessage message) {
                if (EffectsCarrier.isStateTransfer(message)) {
                    submitCarried(now -> carrier.onStateTransfer(from, message, now));
                } else {
                    submit(now -> replica.onMessage(from, message, now));
                }
            }
        };
    }

    /**
     * Queues a client request. Requests are applied together, by one task that runs after
     * whatever else the thread is handling (on the I/O thread: the rest of the frames of this
     * read), so that those that arrived together are proposed in one batch.
     */
    boolean submitRequest(Request request) {
        if (!accepting) {
            return false;
        }
        if (queued.incrementAndGet() > MAX_QUEUED_INPUTS) {
            queued.decrementAndGet();
            metrics.drop(DropReason.OVERLOADED);
            return false;
        }
        PendingRequests.Offer offer = pendingRequests.offer(request);
        if (offer != PendingRequests.Offer.ADDED) {
            queued.decrementAndGet(); // its client's place in the queue was taken already
            metrics.drop(DropReason.SUPERSEDED_REQUEST); // this one, or the older one it replaced
            return offer == PendingRequests.Offer.REPLACED;
        }
        if (!scheduleDrain()) {
            // Closing: leave nothing behind that would make later requests wait for a drain.
            pendingRequests.withdraw(request);
            queued.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Schedules a drain unless one is scheduled already; false when the thread refuses it (closing). */
    private boolean scheduleDrain() {
        if (requestsDrainScheduled.compareAndSet(false, true)) {
            try {
                thread.execute(this::drainRequests);
            } catch (RejectedExecutionException e) {
                requestsDrainScheduled.set(false);
                return false;
            }
        }
        return true;
    }

    /**
     * Queues a read-only request, outside the client's one place among the pending requests: it is
     * answered, not ordered, so it must neither replace its client's ordered request nor be
     * replaced by it.
     */
    boolean submitReadOnly(Request request) {
        return submit(now -> replica.onRequest(request, now));
    }

    /**
     * Runs {@code resume} after the next drain of requests has handed them to the core, once the core
     * has room for {@code room} more of {@code clientId}'s requests (at once if the loop is closing):
     * how the client port resumes reading a connection it paused, so that a client is read no faster
     * than the core proposes its requests. A drain is scheduled if none is.
     */
    void resumeAfterDrain(long clientId, int room, Runnable resume) {
        pausedClients.add(clientId, room, resume);
        if (!scheduleDrain()) {
            pausedClients.resumeAllNow();
        }
    }

    /** Whether this request waits already, or a full window of newer ones of its client: the port drops it unchecked. */
    boolean holdsOrSupersedes(long clientId, long timestamp) {
        return pendingRequests.holdsOrSupersedes(clientId, timestamp);
    }

    private void drainRequests() {
        requestsDrainScheduled.set(false); // before polling: a request added from now on schedules another drain
        List<Request> requests = pendingRequests.drain();
        queued.addAndGet(-requests.size());
        try {
            if (!requests.isEmpty()) {
                run(carried(now -> replica.onRequests(requests, now)));
            }
        } finally {
            pausedClients.afterDrain();
        }
    }

    /** Answers a status query on the core thread, where the state machine may be read. */
    boolean submitStatusQuery(Consumer<StatusReport> answer) {
        return submit(now -> {
            answer.accept(statusReport());
            return Effects.NONE;
        });
    }

    /** What to do when the service throws; the loop has stopped taking input by then. */
    void onServiceFailure(Consumer<ServiceFailedException> handler) {
        this.onServiceFailure = handler;
    }

    /** Inputs submitted from now on are ignored; what is queued is discarded. */
    void stopAccepting() {
        accepting = false;
    }

    /** Stops taking inputs and stops the thread, waiting a bounded time for the current input. */
    void close() {
        accepting = false;
        if (!ownsThread) {
            return; // the transport stops its thread; queued inputs see accepting == false and do nothing
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(SHUTDOWN_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                log.warn("core thread of replica {} did not stop within {} ms", replica.id(), SHUTDOWN_WAIT_MILLIS);
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private boolean submit(LongFunction<Effects> input) {
        return submitCarried(carried(input));
    }

    /** An input to the core, with its effects carried out. */
    private LongFunction<EffectsCarrier.Carried> carried(LongFunction<Effects> input) {
        return now -> carrier.carryOut(input.apply(now), now);
    }

    /** Runs {@code step} on the core's thread: an input to the core or to state transfer, carried out. */
    private boolean submitCarried(LongFunction<EffectsCarrier.Carried> input) {
        if (!accepting) {
            return false;
        }
        if (ioThread != null && ioThread.isCurrent() && !running) {
            run(input); // not while an input is being applied: its effects would interleave with this one's
            return true;
        }
        if (queued.incrementAndGet() > MAX_QUEUED_INPUTS) {
            queued.decrementAndGet();
            metrics.drop(DropReason.OVERLOADED);
            return false;
        }
        try {
            thread.execute(() -> {
                queued.decrementAndGet();
                run(input);
            });
            return true;
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet();
            return false; // closing
        }
    }

    private void run(LongFunction<EffectsCarrier.Carried> input) {
        if (!accepting || carrier == null) {
            return;
        }
        running = true;
        try {
            long now = nowMillis();
            scheduleTick(input.apply(now).wakeAtMillis(), now);
            flushSoon();
        } catch (ServiceFailedException e) {
            stopAccepting();
            metrics.coreFailed();
            log.error("replica {} stops: {}", replica.id(), e.getMessage(), e.getCause());
            onServiceFailure.accept(e);
        } catch (RuntimeException e) {
            // The core throws only on a driver bug; keep serving rather than die silently.
            metrics.coreFailed();
            log.error("replica {}: input failed on the core thread", replica.id(), e);
        } finally {
            running = false;
            metrics.publish(CoreSnapshot.of(replica));
            pausedClients.resumeThoseWithRoom(false);
        }
    }

    /**
     * Group commit: what this input's messages promise is synced, and they leave, once the inputs
     * at hand are applied: at once when none waits on this thread; else after those queued now (on
     * the shared I/O thread, after the rest of the frames of this read), so one sync serves them all.
     */
    private void flushSoon() {
        if (!carrier.hasHeld()) {
            return;
        }
        if (ioThread == null && queued.get() == 0) {
            carrier.flush();
        } else if (flushScheduled.compareAndSet(false, true)) {
            try {
                thread.execute(this::flush);
            } catch (RejectedExecutionException e) {
                flushScheduled.set(false); // closing: what waits is not sent, as if the replica had crashed
            }
        }
    }

    private void flush() {
        flushScheduled.set(false);
        if (!accepting) {
            return;
        }
        try {
            carrier.flush();
        } catch (RuntimeException e) {
            metrics.coreFailed();
            log.error("replica {}: sending what the log holds failed on the core thread", replica.id(), e);
        }
    }

    /** Keeps one pending tick, at the earliest wake-up asked for and at most a status interval away. */
    private void scheduleTick(long wakeAtMillis, long now) {
        long at = Math.min(wakeAtMillis, now + maxTickIntervalMillis);
        if (pendingTick != null && pendingTickAtMillis <= at) {
            return;
        }
        if (pendingTick != null) {
            pendingTick.cancel(false);
        }
        try {
            pendingTick = thread.schedule(this::tick, Math.max(0, at - now), TimeUnit.MILLISECONDS);
            pendingTickAtMillis = at;
        } catch (RejectedExecutionException e) {
            pendingTick = null; // closing
            pendingTickAtMillis = Effects.NO_WAKEUP;
        }
    }

    private void tick() {
        pendingTick = null;
        pendingTickAtMillis = Effects.NO_WAKEUP;
        run(carried(replica::onTick));
        if (accepting && carrier != null) {
            pausedClients.resumeThoseWithRoom(true);
        }
    }

    private StatusReport statusReport() {
        // The state changes only by execution, so the digest is recomputed only after one.
        if (digestExecuted != replica.lastExecuted()) {
            digest = ByteString.copyFrom(stateMachine.stateDigest());
            digestExecuted = replica.lastExecuted();
        }
        StatusReport.Builder report = StatusReport.newBuilder()
                .setReplica(replica.id())
                .setView(replica.view())
                .setPrimary(replica.primary())
                .setChangingView(!replica.isActive())
                .setNeedsState(replica.needsState())
                .setLastExecuted(replica.lastExecuted())
                .setStateDigest(digest)
                .setLowWatermark(replica.lowWatermark())
                .setHighestSequence(replica.highestSequence());
        metrics.publish(CoreSnapshot.of(replica)); // the rejection counts as of now
        metrics.publishFetched(carrier.fetchedTotal()); // read here, on the thread that fetches
        metrics.nonZeroCounters().forEach((name, value) ->
                report.addCounters(Counter.newBuilder().setName(name).setValue(value)));
        for (ProvenEquivocation proof : evidence.proofs()) {
            report.addEvidence(EquivocationProof.newBuilder().setSender(proof.sender()).setKind(proof.kind())
                    .setView(proof.view()).setSequence(proof.sequence()).setFirst(proof.first())
                    .setSecond(proof.second()));
        }
        return report.build();
    }

    /**
     * The core's only clock: milliseconds since the epoch as of this loop's start, advanced by the
     * monotonic clock, so it never goes back when the wall clock is set. A primary proposes it as a
     * batch's agreed time, and backups check that against their own.
     */
    private long nowMillis() {
        return startEpochMillis + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
