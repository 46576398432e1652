package io.pbft.chaos.check;

import java.util.List;

/**
 * What one client did in a run: it planned {@code requestsPlanned} requests, one outstanding at a
 * time, and {@code operations} holds every request it sent (the last may be outstanding).
 */
public record ClientHistory(long clientId, int requestsPlanned, List<ClientOperation> operations) {

    public ClientHistory {
        operations = List.copyOf(operations);
    }

    public long completedCount() {
        return operations.stream().filter(ClientOperation::completed).count();
    }

    public boolean finished() {
        return completedCount() == requestsPlanned;
    }
}
