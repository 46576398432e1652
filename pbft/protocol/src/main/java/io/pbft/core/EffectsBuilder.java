package io.pbft.core;

import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.core.message.StableCheckpoint;
import java.util.ArrayList;
import java.util.List;

/** Collects the effects of one input; each concern of the core appends to the same builder. */
final class EffectsBuilder {

    private final List<DurableRecord> durable = new ArrayList<>();
    private final List<Outbound> messages = new ArrayList<>();
    private final List<Execution> executions = new ArrayList<>();
    private final List<Reply> replies = new ArrayList<>();
    private final List<PreparedSlot> preparedSlots = new ArrayList<>();
    private final List<ProtocolEvent> events = new ArrayList<>();
    private final List<CheckpointTaken> checkpointsTaken = new ArrayList<>();
    private final List<StableCheckpoint> stateToFetch = new ArrayList<>();
    private final List<Query> queries = new ArrayList<>();
    private long wakeAtMillis = Effects.NO_WAKEUP;

    /** Something a message of this input promises, to be durable before that message leaves. */
    void persist(DurableRecord record) {
        durable.add(record);
    }

    void broadcast(ReplicaMessage message) {
        messages.add(Outbound.broadcast(message));
    }

    void broadcast(Signed<?> signed) {
        messages.add(Outbound.broadcast(signed));
    }

    void broadcast(Signed<PrePrepare> prePrepare, List<Request> batch) {
        messages.add(Outbound.broadcast(prePrepare, batch));
    }

    void send(int replica, ReplicaMessage message) {
        messages.add(Outbound.to(replica, message));
    }

    void send(int replica, Signed<?> signed) {
        messages.add(Outbound.to(replica, signed));
    }

    void send(int replica, Signed<PrePrepare> prePrepare, List<Request> batch) {
        messages.add(Outbound.to(replica, prePrepare, batch));
    }

    void execute(Execution execution) {
        executions.add(execution);
    }

    void query(Query query) {
        queries.add(query);
    }

    void reply(Reply reply) {
        replies.add(reply);
    }

    void prepared(long view, long sequence) {
        preparedSlots.add(new PreparedSlot(view, sequence));
    }

    void event(ProtocolEvent event) {
        events.add(event);
    }

    void checkpointTaken(CheckpointTaken checkpoint) {
        checkpointsTaken.add(checkpoint);
    }

    void fetchState(StableCheckpoint checkpoint) {
        stateToFetch.clear();
        stateToFetch.add(checkpoint);
    }

    void wakeAt(long millis) {
        wakeAtMillis = Math.min(wakeAtMillis, millis);
    }

    Effects build() {
        Effects built = new Effects(durable, messages, executions, replies, preparedSlots, events, checkpointsTaken,
                stateToFetch, wakeAtMillis, queries);
        return built.isEmpty() && wakeAtMillis == Effects.NO_WAKEUP ? Effects.NONE : built;
    }
}
