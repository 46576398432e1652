package io.pbft.chaos.sim;

import com.google.protobuf.ByteString;
import io.pbft.chaos.behaviour.Behaviour;
import io.pbft.chaos.behaviour.BehaviourContext;
import io.pbft.chaos.behaviour.Behaviours;
import io.pbft.chaos.check.Checker;
import io.pbft.chaos.check.ClientHistory;
import io.pbft.chaos.check.LivenessChecker;
import io.pbft.chaos.check.RequestId;
import io.pbft.chaos.check.RunHistory;
import io.pbft.chaos.check.SafetyMonitor;
import io.pbft.chaos.check.Violation;
import io.pbft.chaos.sim.EventQueue.Scheduled;
import io.pbft.chaos.sim.SimEvent.ClientIssue;
import io.pbft.chaos.sim.SimEvent.ClientRetransmit;
import io.pbft.chaos.sim.SimEvent.HeldOutbound;
import io.pbft.chaos.sim.SimEvent.ReplicaCrash;
import io.pbft.chaos.sim.SimEvent.ReplicaFrameDelivery;
import io.pbft.chaos.sim.SimEvent.ReplicaRestart;
import io.pbft.chaos.sim.SimEvent.ReplicaWake;
import io.pbft.chaos.sim.SimEvent.ReplyDelivery;
import io.pbft.chaos.sim.SimEvent.RequestDelivery;
import io.pbft.core.Effects;
import io.pbft.core.Execution;
import io.pbft.core.Outbound;
import io.pbft.core.Replica;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.driver.EffectsCarrier;
import io.pbft.driver.InboundPipeline;
import io.pbft.driver.OutboundFilter;
import io.pbft.driver.ReplicaStore;
import io.pbft.driver.RequestCheck;
import io.pbft.statemachine.StateMachine;
import io.pbft.wire.ProvenEquivocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deterministic simulation of a whole cluster: n replicas (each the real protocol core with its
 * own copy of the service and its own simulated disk) and the clients, in one thread, on a
 * simulated clock and network, with one {@link Random} seeded from the config as the only source
 * of randomness (each disk draws from its own, seeded from the config too, when it crashes). The
 * same config gives the same run, event for event. Replicas the config restarts crash and come
 * back from their disks ({@link Restart}).
 *
 * <p>Safety is checked after every step ({@link SafetyMonitor}) and the whole recorded history by
 * the checkers at the end ({@link Workload#checkers()}). Each instance runs once.
 */
public final class Simulation {

    private static final Logger log = LoggerFactory.getLogger(Simulation.class);

    /** Client ids start here, well apart from replica ids, so the two are never confused in messages. */
    public static final long FIRST_CLIENT_ID = 100;
    /** Clients start at a random time in [0, this]. */
    private static final int MAX_START_JITTER_MILLIS = 20;
    /** Generous: a run of the default size processes a few thousand events. */
    private static final long EVENTS_PER_REQUEST_LIMIT = 20_000;
    private static final long MIN_EVENT_LIMIT = 1_000_000;
    /** Ticks in a row that ask for another tick without the clock moving before a replica counts as spinning. */
    static final int SPIN_LIMIT = 1_000;

    private static final CrashPoint[] CRASH_POINTS = CrashPoint.values();

    private final SimulationConfig config;
    private final Workload workload;
    private final Supplier<? extends StateMachine> service;
    private final IntFunction<Behaviour> behaviours;
    private final Random random;
    private final EventQueue events = new EventQueue();
    private final SimNetwork network;
    private final Replicas replicas;
    private final ReplicaTime time;
    private final List<SimClient> clients = new ArrayList<>();
    private final SortedMap<RequestId, Request> sentRequests = new TreeMap<>();
    private final SafetyMonitor monitor;
    /** The second process of each replica that runs as twins ({@link Behaviours#TWIN}). */
    private final Twins twins;
    private long eventsProcessed;
    private long traceDigest = 0xcbf29ce484222325L;
    private boolean ran;

    /** A run of the key-value store, each replica behaving as the config says (honest by default). */
    public Simulation(SimulationConfig config) {
        this(config, new KvWorkload(), replica -> Behaviours.parse(config.behaviourOf(replica)));
    }

    /**
     * A run of {@code service} under the key-value workload.
     *
     * @param service makes each replica's fresh copy of the service, and the checkers' model of it
     * @param behaviours the behaviour of each replica, by id
     */
    public Simulation(SimulationConfig config, Supplier<? extends StateMachine> service,
            IntFunction<Behaviour> behaviours) {
        this(config, new KvWorkload(service), behaviours);
    }

    /**
     * @param workload the service, its clients' operations and the checkers of the run
     * @param behaviours the behaviour of each replica, by id
     */
    public Simulation(SimulationConfig config, Workload workload, IntFunction<Behaviour> behaviours) {
        this.config = Objects.requireNonNull(config, "config");
        this.workload = Objects.requireNonNull(workload, "workload");
        this.service = workload::newService;
        this.behaviours = Objects.requireNonNull(behaviours, "behaviours");
        this.random = new Random(config.seed());
        this.network = new SimNetwork(config.network(), random, events);
        this.replicas = new Replicas(config.replicaCount(), config.seed());
        this.time = new ReplicaTime(config, events);
        SortedSet<Integer> correct = new TreeSet<>();
        List<String> startFailures = new ArrayList<>();
        for (int id = 0; id < config.replicaCount(); id++) {
            SimReplica replica;
            try {
                replica = start(id, 0);
            } catch (IOException e) {
                throw new UncheckedIOException("an empty simulated disk does not open", e);
            }
            try {
                // A first start snapshots the initial state, as the node's does: what a restart builds on.
                replica.recoverFromDisk();
            } catch (IOException | RuntimeException e) {
                // The service under test may throw (its digest, its snapshot): a finding, not a crash of the run.
                startFailures.add("replica " + id + " threw " + e + " at 0 ms on its first start");
            }
            replicas.started(replica);
            if (replica.behaviour.isCorrect()) {
                correct.add(id);
            }
        }
        this.monitor = new SafetyMonitor(config.replicaCount(), correct);
        this.twins = Twins.start(config, (id, address, disk) -> start(id, address, 0, disk));
        startFailures.forEach(failure -> monitor.fail("CoreException", failure));
        for (int i = 0; i < config.clients(); i++) {
            clients.add(new SimClient(i, FIRST_CLIENT_ID + i, config, random, events, network, sentRequests,
                    workload.client(FIRST_CLIENT_ID + i)));
        }
        for (String spec : config.byzantineClients()) {
            int index = clients.size();
            clients.add(new SimClient(index, FIRST_CLIENT_ID + index, config, random, events, network, sentRequests,
                    workload.client(FIRST_CLIENT_ID + index), SimClient.Mode.of(spec)));
        }
    }

    /** Incarnation {@code incarnation} of replica {@code id}, on its disk, connected to the network. */
    private SimReplica start(int id, int incarnation) throws IOException {
        return start(id, id, incarnation, replicas.disk(id));
    }

    private SimReplica start(int id, int address, int incarnation, ReplicaDisk disk) throws IOException {
        Behaviour behaviour = Objects.requireNonNull(behaviours.apply(id), "behaviour of replica " + id);
        SimReplica replica = new SimReplica(id, address, incarnation, config, service.get(), behaviour,
                requestModel(), SimReplica.openStore(id, disk, config), disk);
        replica.connect(filter(replica), (to, frame) -> network.sendToReplica(replica.id, to, frame),
                reply -> sendReply(replica, reply), proof -> monitor.onProof(replica.id, proof.sender(), proof.describe()));
        return replica;
    }

    /** The process at {@code address}: a replica by id, or the second of two twins. */
    private SimReplica instance(int address) {
        return address < replicas.size() ? replicas.get(address) : twins.atAddress(address);
    }

    /** Runs the default simulation for {@code config}. */
    public static SimulationResult run(SimulationConfig config) {
        return new Simulation(config).run();
    }

    public SimulationResult run() {
        if (ran) {
            throw new IllegalStateException("a Simulation runs once; create another for another run");
        }
        ran = true;
        for (SimReplica replica : replicas.all()) {
            events.at(0, new ReplicaWake(replica.id));
            replica.pendingWakeMillis = 0;
        }
        for (SimReplica twin : twins.seconds()) {
            events.at(0, new ReplicaWake(twin.address));
            twin.pendingWakeMillis = 0;
        }
        for (int i = 0; i < clients.size(); i++) {
            events.at(random.nextInt(MAX_START_JITTER_MILLIS + 1), new ClientIssue(i));
        }
        for (Restart restart : config.restarts()) {
            events.at(restart.crashAtMillis(), new ReplicaCrash(restart.replica()));
            events.at(restart.restartAtMillis(), new ReplicaRestart(restart.replica()));
        }
        StopReason stopReason = loop();
        return finish(stopReason);
    }

    /**
     * What replica {@code id}'s service answers to the read-only {@code operation} now: after a run,
     * a test reads what a replica holds, restarted ones included.
     *
     * @throws IllegalStateException if the replica is down
     */
    public byte[] query(int id, byte[] operation) {
        return running(id).query(operation);
    }

    /** The proofs of equivocation replica {@code id} holds now (its current incarnation's); see {@link #query}. */
    public List<ProvenEquivocation> evidence(int id) {
        return running(id).evidence().proofs();
    }

    /** Replica {@code id}'s state digest now; see {@link #query}. */
    public ByteString stateDigest(int id) {
        return running(id).stateDigest();
    }

    private SimReplica running(int id) {
        if (replicas.isDown(id)) {
            throw new IllegalStateException("replica " + id + " is down");
        }
        return replicas.get(id);
    }

    private StopReason loop() {
        long eventLimit = Math.max(MIN_EVENT_LIMIT,
                EVENTS_PER_REQUEST_LIMIT * config.clients() * (long) config.requestsPerClient());
        long clientsDoneAtMillis = -1;
        while (true) {
            if (monitor.violated()) {
                return StopReason.VIOLATION;
            }
            if (clientsDoneAtMillis < 0 && allClientsDone()) {
                clientsDoneAtMillis = events.nowMillis();
            }
            if (events.isEmpty()) {
                return StopReason.QUIESCENT;
            }
            if (clientsDoneAtMillis >= 0 && events.nextMillis() > clientsDoneAtMillis + config.settleMillis()) {
                return StopReason.CLIENTS_DONE;
            }
            if (clientsDoneAtMillis < 0 && events.nextMillis() > config.deadlineMillis()) {
                return StopReason.DEADLINE;
            }
            if (eventsProcessed >= eventLimit) {
                return StopReason.EVENT_LIMIT;
            }
            Scheduled next = events.poll();
            eventsProcessed++;
            trace(next);
            dispatch(next.event());
        }
    }

    private void dispatch(SimEvent event) {
        long now = events.nowMillis();
        if (reachesDownReplica(event)) {
            return; // lost with the crashed process: its peers and clients retransmit
        }
        if (reachesReplica(event) && time.deferredByPause(event, now, this::instance)) {
            return;
        }
        if (event instanceof ReplicaFrameDelivery delivery) {
            int to = twins.routed(delivery.to(), delivery.from());
            instance(to).inbound.accept(delivery.frame(), inputs(to, event));
        } else if (event instanceof RequestDelivery delivery) {
            int to = twins.routedRequest(delivery.to(), random);
            step(to, event, (core, local) -> core.onRequest(delivery.request(), local));
        } else if (event instanceof ReplicaWake wake) {
            SimReplica replica = instance(wake.replica());
            // A wake-up superseded by an earlier one already ran; only the pending one ticks.
            if (replica.pendingWakeMillis == now) {
                replica.pendingWakeMillis = SimReplica.NO_WAKE;
                step(wake.replica(), event, Replica::onTick);
                checkNotSpinning(replica, now);
            }
        } else if (event instanceof ReplyDelivery delivery) {
            clients.get(delivery.client()).onReply(delivery.from(), delivery.reply());
        } else if (event instanceof ClientIssue issue) {
            clients.get(issue.client()).issueNext();
        } else if (event instanceof ClientRetransmit retransmit) {
            clients.get(retransmit.client()).onRetransmitTimer(retransmit.timestamp());
        } else if (event instanceof HeldOutbound held) {
            SimReplica replica = instance(held.replica());
            if (replica.incarnation == held.incarnation()) {
                replica.sendHeld(held.outbound());
            }
        } else if (event instanceof ReplicaCrash crash) {
            onCrash(crash.replica());
        } else if (event instanceof ReplicaRestart restart) {
            restart(restart.replica(), event);
        }
    }

    private static boolean reachesReplica(SimEvent event) {
        return event instanceof ReplicaFrameDelivery || event instanceof RequestDelivery
                || event instanceof ReplicaWake || event instanceof HeldOutbound;
    }

    private boolean reachesDownReplica(SimEvent event) {
        return reachesReplica(event) && event.target() < replicas.size() && replicas.isDown(event.target());
    }

    /**
     * A crash strikes replica {@code id} at once, or, as the run's random source decides, in its
     * next input that logs records: during or after their sync, before that input's messages leave.
     */
    private void onCrash(int id) {
        CrashPoint point = CRASH_POINTS[random.nextInt(CRASH_POINTS.length)];
        if (point == CrashPoint.BETWEEN_INPUTS) {
            crash(id);
        } else {
            replicas.get(id).armCrash(point);
        }
    }

    private void crash(int id) {
        log.debug("replica {} (incarnation {}) crashes at {} ms", id, replicas.get(id).incarnation, events.nowMillis());
        replicas.crash(id);
    }

    /**
     * A new incarnation of replica {@code id} starts on its disk: the store restores the service from
     * the snapshot and reads the log back, and the core's first input is its recovery from them.
     */
    private void restart(int id, SimEvent cause) {
        long now = events.nowMillis();
        if (!replicas.isDown(id)) {
            crash(id); // armed, it took no input that logs records before its restart time
        }
        SimReplica restarted;
        ReplicaStore.Recovered recovered;
        try {
            restarted = start(id, replicas.get(id).incarnation + 1);
            recovered = restarted.recoverFromDisk();
        } catch (IOException | RuntimeException e) {
            log.debug("replica {} did not recover at {} ms", id, now, e);
            monitor.fail("Recovery", "replica " + id + " could not recover from its disk at " + now + " ms: " + e);
            return;
        }
        log.debug("replica {} restarts at {} ms from its snapshot of checkpoint {} and {} log records", id, now,
                recovered.sequence(), recovered.records().size());
        replicas.started(restarted);
        monitor.onRestart(id);
        step(id, cause, (core, local) -> core.recover(recovered.sequence(), recovered.checkpointDigest(),
                recovered.clientTable(), recovered.records(), local));
    }

    /** Where a replica's inbound pipeline hands what passed its checks: straight into a step of its core. */
    private InboundPipeline.CoreInputs inputs(int to, SimEvent cause) {
        return new InboundPipeline.CoreInputs() {
            @Override
            public void prePrepare(int from, Signed<PrePrepare> prePrepare, List<Request> batch,
                    boolean requestsAuthenticated) {
                step(to, cause, (core, local) -> core.onPrePrepare(from, prePrepare, batch, requestsAuthenticated,
                        local));
            }

            @Override
            public void signed(int from, Signed<?> signed) {
                step(to, cause, (core, local) -> core.onSigned(from, signed, local));
            }

            @Override
            public void message(int from, ReplicaMessage message) {
                if (EffectsCarrier.isStateTransfer(message)) {
                    carry(to, cause, (replica, local) -> replica.onStateTransfer(from, message, local));
                } else {
                    step(to, cause, (core, local) -> core.onMessage(from, message, local));
                }
            }
        };
    }

    /** An input to a replica's core, at the time its own clock reads. */
    @FunctionalInterface
    private interface CoreInput {
        Effects apply(Replica core, long localMillis);
    }

    /** An input to a replica (its core, or its state transfer), at the time its own clock reads. */
    @FunctionalInterface
    private interface ReplicaInput {
        EffectsCarrier.Carried apply(SimReplica replica, long localMillis);
    }

    /** Feeds one input to a replica's core and carries out everything it asks for. */
    private void step(int id, SimEvent cause, CoreInput input) {
        carry(id, cause, (replica, local) -> replica.carryOut(input.apply(replica.core, local), local));
    }

    /** Runs one input of a replica (to its core, or to its state transfer) and records what it executed. */
    private void carry(int address, SimEvent cause, ReplicaInput input) {
        if (address < replicas.size() && replicas.isDown(address)) {
            return; // it died in an earlier input of the same frame
        }
        SimReplica replica = instance(address);
        int id = replica.id;
        long now = events.nowMillis();
        long lastExecutedBefore = replica.core.lastExecuted();
        EffectsCarrier.Carried carried;
        try {
            carried = input.apply(replica, time.local(id, now));
        } catch (RuntimeException e) {
            if (replica.died()) {
                crash(id); // the armed crash struck in this input
                return;
            }
            // The core must never throw on any input (an invariant check that fails throws); the
            // driver's own bugs surface here too.
            log.debug("replica {} threw at {} ms on {}", id, now, cause, e);
            monitor.fail("CoreException", "replica " + id + " threw " + e + " at " + now + " ms on " + cause);
            return;
        }
        if (address == id) { // a second twin is the faulty replica's other half: nothing of it to check
            for (Execution execution : carried.executed()) {
                monitor.onExecuted(id, execution);
                if (execution.checkpoint()) {
                    monitor.onCheckpoint(id, execution.sequence(), replica.checkpointDigests().get(execution.sequence()));
                }
            }
            monitor.onStep(id, replica.core.lastExecuted(), replica.core.lowWatermark(), replica.core.logSize(),
                    replica.core.logCapacity(), lastExecutedBefore);
        }
        time.wakeAtLocal(replica, carried.wakeAtMillis());
    }

    /**
     * Simulated clients are who they say, so a forwarded request is always signed; a pre-prepare's
     * batch is authentic except when {@link #cannotAuthenticate} says otherwise.
     */
    private RequestCheck requestModel() {
        return new RequestCheck() {
            @Override
            public boolean authentic(List<Request> batch) {
                return !cannotAuthenticate();
            }

            @Override
            public boolean signed(Request request) {
                return true;
            }
        };
    }

    /**
     * Whether this delivery of a pre-prepare reaches a replica that can authenticate its requests
     * by neither MAC nor signature (in a node, only a faulty primary's proposal can do that). Draws from the run's random source only when the option is on, so that runs without
     * it are the same as before it existed.
     */
    private boolean cannotAuthenticate() {
        double probability = config.unverifiedPrePrepareProbability();
        return probability > 0 && random.nextDouble() < probability;
    }

    /** The replica's behaviour, between its core's effects and the network. */
    private OutboundFilter filter(SimReplica replica) {
        return new OutboundFilter() {
            @Override
            public List<Outbound> onOutbound(Outbound outbound) {
                BehaviourContext context = context(replica);
                List<Outbound> now = new ArrayList<>();
                for (Outbound message : replica.behaviour.onOutbound(context, outbound)) {
                    monitor.onSent(replica.id, message.message());
                    long holdMillis = replica.behaviour.holdMillis(context, message);
                    if (holdMillis > 0) {
                        events.after(holdMillis, new HeldOutbound(replica.address, replica.incarnation, message));
                    } else {
                        now.add(message);
                    }
                }
                return now;
            }

            @Override
            public List<Reply> onReply(Reply reply) {
                return replica.behaviour.onReply(context(replica), reply);
            }
        };
    }

    private BehaviourContext context(SimReplica replica) {
        return new BehaviourContext(replica.id, replicas.size(), events.nowMillis(), random, replica.envelopes);
    }

    private void sendReply(SimReplica replica, Reply reply) {
        long client = reply.clientId() - FIRST_CLIENT_ID;
        if (client >= 0 && client < clients.size()) {
            network.sendReply(replica.id, (int) client, reply);
        }
    }

    /**
     * A core that answers a tick by asking for another tick no later than now stops simulated time,
     * and would spin a real node's thread: caught here with a clear message instead of at the
     * event limit.
     */
    private void checkNotSpinning(SimReplica replica, long now) {
        replica.immediateTicks = replica.pendingWakeMillis <= now ? replica.immediateTicks + 1 : 0;
        if (replica.immediateTicks == SPIN_LIMIT) {
            monitor.fail("Bounds", "replica " + replica.id + " asked to be ticked again at once after "
                    + SPIN_LIMIT + " ticks in a row at " + now + " ms: its core busy-waits and time cannot advance"
                    + " (last executed " + replica.core.lastExecuted() + ", low watermark "
                    + replica.core.lowWatermark() + ", window " + replica.core.config().windowSize() + ")");
        }
    }

    private boolean allClientsDone() {
        for (SimClient client : clients) {
            if (!client.done()) {
                return false;
            }
        }
        return true;
    }

    /** Mixes each event's time, kind and target into a fingerprint of the run (FNV-1a over longs). */
    private void trace(Scheduled scheduled) {
        traceDigest = (traceDigest ^ scheduled.atMillis()) * 0x100000001b3L;
        traceDigest = (traceDigest ^ scheduled.event().kind()) * 0x100000001b3L;
        traceDigest = (traceDigest ^ scheduled.event().target()) * 0x100000001b3L;
    }

    /**
     * Every request a client sent, by id; where a client signed two operations under one timestamp
     * ({@code --byzantine-client two-ops}), the one the lowest correct replica to execute either
     * executed. Both were the client's to send, so the checkers hold every other correct replica to
     * that one: one that executed the other, or both, breaks exactly-once or agreement.
     */
    private SortedMap<RequestId, Request> sentAsExecuted(SortedSet<Integer> correct) {
        SortedMap<RequestId, Request> seconds = new TreeMap<>();
        clients.forEach(client -> seconds.putAll(client.secondOperations()));
        if (seconds.isEmpty()) {
            return sentRequests;
        }
        SortedMap<RequestId, Request> sent = new TreeMap<>(sentRequests);
        Set<RequestId> settled = new TreeSet<>();
        for (int id : correct) {
            for (RunHistory.Incarnation incarnation : replicas.incarnations().get(id)) {
                for (Execution execution : incarnation.executions()) {
                    for (Request request : execution.requests()) {
                        RequestId requestId = RequestId.of(request);
                        Request second = seconds.get(requestId);
                        if (second != null && settled.add(requestId) && second.digest().equals(request.digest())) {
                            sent.put(requestId, second);
                        }
                    }
                }
            }
        }
        return sent;
    }

    private SimulationResult finish(StopReason stopReason) {
        SortedSet<Integer> correct = new TreeSet<>();
        for (SimReplica replica : replicas.all()) {
            if (replica.behaviour.isCorrect()) {
                correct.add(replica.id);
            }
        }
        List<ClientHistory> histories = new ArrayList<>();
        for (SimClient client : clients) {
            histories.add(client.history());
        }
        long endMillis = stopReason == StopReason.DEADLINE ? config.deadlineMillis() : events.nowMillis();
        RunHistory history = new RunHistory(replicas.size(), correct, replicas.incarnations(),
                sentAsExecuted(correct), histories, endMillis, config.deadlineMillis());
        List<Violation> violations = new ArrayList<>(monitor.violations());
        if (stopReason == StopReason.EVENT_LIMIT) {
            violations.add(new Violation("Bounds", "the run reached its limit of " + eventsProcessed
                    + " events at " + endMillis + " ms: something keeps generating events"));
        }
        for (Checker checker : workload.checkers()) {
            // A run stopped at a safety violation has unfinished clients as a consequence, not a finding.
            if (stopReason != StopReason.VIOLATION || !checker.name().equals(LivenessChecker.NAME)) {
                violations.addAll(checker.check(history));
            }
        }
        return SimulationResult.of(config, stopReason, violations, history, eventsProcessed, network.stats(),
                replicas.all(), replicas.down(), traceDigest);
    }
}
