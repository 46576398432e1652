package io.pbft.chaos.sim;

import com.google.protobuf.ByteString;
import io.pbft.chaos.behaviour.Behaviour;
import io.pbft.chaos.behaviour.BehaviourContext;
import io.pbft.chaos.behaviour.Behaviours;
import io.pbft.chaos.check.Checker;
import io.pbft.chaos.check.Checkers;
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
import io.pbft.chaos.sim.SimEvent.ReplicaFrameDelivery;
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
import io.pbft.driver.RequestCheck;
import io.pbft.statemachine.StateMachine;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deterministic simulation of a whole cluster: n replicas (each the real protocol core with its
 * own copy of the service) and the clients, in one thread, on a simulated clock and network, with
 * one {@link Random} seeded from the config as the only source of randomness. The same config
 * gives the same run, event for event.
 *
 * <p>Safety is checked after every step ({@link SafetyMonitor}) and the whole recorded history by
 * the checkers at the end ({@link Checkers}). Each instance runs once.
 */
public final class Simulation {

    private static final Logger log = LoggerFactory.getLogger(Simulation.class);

    /** Client ids start here, well apart from replica ids, so the two are never confused in messages. */
    public static final long FIRST_CLIENT_ID = 100;
    /** After the last client finishes, replicas run this long more so laggards can catch up before checking. */
    static final long SETTLE_MILLIS = 1_000;
    /** Clients start at a random time in [0, this]. */
    private static final int MAX_START_JITTER_MILLIS = 20;
    /** Generous: a run of the default size processes a few thousand events. */
    private static final long EVENTS_PER_REQUEST_LIMIT = 20_000;
    private static final long MIN_EVENT_LIMIT = 1_000_000;
    /** Ticks in a row that ask for another tick without the clock moving before a replica counts as spinning. */
    static final int SPIN_LIMIT = 1_000;

    private final SimulationConfig config;
    private final Supplier<? extends StateMachine> service;
    private final Random random;
    private final EventQueue events = new EventQueue();
    private final SimNetwork network;
    private final List<SimReplica> replicas = new ArrayList<>();
    private final List<SimClient> clients = new ArrayList<>();
    private final SortedMap<RequestId, Request> sentRequests = new TreeMap<>();
    private final SafetyMonitor monitor;
    private long eventsProcessed;
    private long traceDigest = 0xcbf29ce484222325L;
    private boolean ran;

    /** A run of the key-value store, each replica behaving as the config says (honest by default). */
    public Simulation(SimulationConfig config) {
        this(config, KeyValueStateMachine::new, replica -> Behaviours.parse(config.behaviourOf(replica)));
    }

    /**
     * @param service makes each replica's fresh copy of the service, and the checkers' model of it
     * @param behaviours the behaviour of each replica, by id
     */
    public Simulation(SimulationConfig config, Supplier<? extends StateMachine> service,
            IntFunction<Behaviour> behaviours) {
        this.config = Objects.requireNonNull(config, "config");
        this.service = Objects.requireNonNull(service, "service");
        this.random = new Random(config.seed());
        this.network = new SimNetwork(config.network(), random, events);
        SortedSet<Integer> correct = new TreeSet<>();
        for (int id = 0; id < config.replicaCount(); id++) {
            Behaviour behaviour = Objects.requireNonNull(behaviours.apply(id), "behaviour of replica " + id);
            SimReplica replica = new SimReplica(id, config, service.get(), behaviour, requestModel());
            replica.connect(filter(replica), (to, frame) -> network.sendToReplica(replica.id, to, frame),
                    reply -> sendReply(replica, reply));
            replicas.add(replica);
            if (behaviour.isCorrect()) {
                correct.add(id);
            }
        }
        this.monitor = new SafetyMonitor(config.replicaCount(), correct);
        for (int i = 0; i < config.clients(); i++) {
            clients.add(new SimClient(i, FIRST_CLIENT_ID + i, config, random, events, network, sentRequests));
        }
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
        for (SimReplica replica : replicas) {
            events.at(0, new ReplicaWake(replica.id));
            replica.pendingWakeMillis = 0;
        }
        for (int i = 0; i < clients.size(); i++) {
            events.at(random.nextInt(MAX_START_JITTER_MILLIS + 1), new ClientIssue(i));
        }
        StopReason stopReason = loop();
        return finish(stopReason);
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
            if (clientsDoneAtMillis >= 0 && events.nextMillis() > clientsDoneAtMillis + SETTLE_MILLIS) {
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
        if (event instanceof ReplicaFrameDelivery delivery) {
            replicas.get(delivery.to()).inbound.accept(delivery.frame(), inputs(delivery.to(), event));
        } else if (event instanceof RequestDelivery delivery) {
            step(delivery.to(), event, core -> core.onRequest(delivery.request(), now));
        } else if (event instanceof ReplicaWake wake) {
            SimReplica replica = replicas.get(wake.replica());
            // A wake-up superseded by an earlier one already ran; only the pending one ticks.
            if (replica.pendingWakeMillis == now) {
                replica.pendingWakeMillis = SimReplica.NO_WAKE;
                step(wake.replica(), event, core -> core.onTick(now));
                checkNotSpinning(replica, now);
            }
        } else if (event instanceof ReplyDelivery delivery) {
            clients.get(delivery.client()).onReply(delivery.from(), delivery.reply());
        } else if (event instanceof ClientIssue issue) {
            clients.get(issue.client()).issueNext();
        } else if (event instanceof ClientRetransmit retransmit) {
            clients.get(retransmit.client()).onRetransmitTimer(retransmit.timestamp());
        } else if (event instanceof HeldOutbound held) {
            replicas.get(held.replica()).sendHeld(held.outbound());
        }
    }

    /** Where a replica's inbound pipeline hands what passed its checks: straight into a step of its core. */
    private InboundPipeline.CoreInputs inputs(int to, SimEvent cause) {
        long now = events.nowMillis();
        return new InboundPipeline.CoreInputs() {
            @Override
            public void prePrepare(int from, Signed<PrePrepare> prePrepare, List<Request> batch,
                    boolean requestsAuthenticated) {
                step(to, cause, core -> core.onPrePrepare(from, prePrepare, batch, requestsAuthenticated, now));
            }

            @Override
            public void signed(int from, Signed<?> signed) {
                step(to, cause, core -> core.onSigned(from, signed, now));
            }

            @Override
            public void message(int from, ReplicaMessage message) {
                if (EffectsCarrier.isStateTransfer(message)) {
                    carry(to, cause, replica -> replica.onStateTransfer(from, message, now));
                } else {
                    step(to, cause, core -> core.onMessage(from, message, now));
                }
            }
        };
    }

    /** Feeds one input to a replica's core and carries out everything it asks for. */
    private void step(int id, SimEvent cause, Function<Replica, Effects> input) {
        long now = events.nowMillis();
        carry(id, cause, replica -> replica.carryOut(input.apply(replica.core), now));
    }

    /** Runs one input of a replica (to its core, or to its state transfer) and records what it executed. */
    private void carry(int id, SimEvent cause, Function<SimReplica, EffectsCarrier.Carried> input) {
        SimReplica replica = replicas.get(id);
        long now = events.nowMillis();
        long lastExecutedBefore = replica.core.lastExecuted();
        EffectsCarrier.Carried carried;
        try {
            carried = input.apply(replica);
        } catch (RuntimeException e) {
            // The core must never throw on any input (an invariant check that fails throws); the
            // driver's own bugs surface here too.
            log.debug("replica {} threw at {} ms on {}", id, now, cause, e);
            monitor.fail("CoreException", "replica " + id + " threw " + e + " at " + now + " ms on " + cause);
            return;
        }
        for (Execution execution : carried.executed()) {
            monitor.onExecuted(id, execution);
            if (execution.checkpoint()) {
                monitor.onCheckpoint(id, execution.sequence(), replica.checkpointDigests().get(execution.sequence()));
            }
        }
        monitor.onStep(id, replica.core.lastExecuted(), replica.core.lowWatermark(), replica.core.logSize(),
                replica.core.logCapacity(), lastExecutedBefore);
        scheduleWake(replica, carried.wakeAtMillis());
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
                    long holdMillis = replica.behaviour.holdMillis(context, message);
                    if (holdMillis > 0) {
                        events.after(holdMillis, new HeldOutbound(replica.id, message));
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

    private void scheduleWake(SimReplica replica, long wakeAt) {
        if (wakeAt != Effects.NO_WAKEUP && wakeAt < replica.pendingWakeMillis) {
            replica.pendingWakeMillis = Math.max(wakeAt, events.nowMillis());
            events.at(replica.pendingWakeMillis, new ReplicaWake(replica.id));
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

    private SimulationResult finish(StopReason stopReason) {
        List<List<Execution>> executions = new ArrayList<>();
        List<SortedMap<Long, ByteString>> digests = new ArrayList<>();
        SortedSet<Integer> correct = new TreeSet<>();
        for (SimReplica replica : replicas) {
            executions.add(replica.executed());
            digests.add(replica.checkpointDigests());
            if (replica.behaviour.isCorrect()) {
                correct.add(replica.id);
            }
        }
        List<ClientHistory> histories = new ArrayList<>();
        for (SimClient client : clients) {
            histories.add(client.history());
        }
        long endMillis = stopReason == StopReason.DEADLINE ? config.deadlineMillis() : events.nowMillis();
        RunHistory history = new RunHistory(replicas.size(), correct, executions, digests, sentRequests, histories,
                endMillis, config.deadlineMillis());
        List<Violation> violations = new ArrayList<>(monitor.violations());
        if (stopReason == StopReason.EVENT_LIMIT) {
            violations.add(new Violation("Bounds", "the run reached its limit of " + eventsProcessed
                    + " events at " + endMillis + " ms: something keeps generating events"));
        }
        for (Checker checker : Checkers.all(service)) {
            // A run stopped at a safety violation has unfinished clients as a consequence, not a finding.
            if (stopReason != StopReason.VIOLATION || !checker.name().equals(LivenessChecker.NAME)) {
                violations.addAll(checker.check(history));
            }
        }
        return SimulationResult.of(config, stopReason, violations, history, eventsProcessed, network.stats(),
                replicas, traceDigest);
    }
}
