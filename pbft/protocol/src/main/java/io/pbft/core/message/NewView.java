package io.pbft.core.message;

import java.util.List;

/**
 * The new primary's announcement of {@code view}: 2f + 1 signed view changes for it, and the
 * pre-prepares of {@code view} it re-issues for every sequence number between the latest stable
 * checkpoint and the highest prepared one among them (the batch of the highest-view prepared
 * certificate, or the null batch in a gap). Every backup recomputes the re-issued set from the view
 * changes and rejects a new view that differs.
 */
public record NewView(long view, List<Signed<ViewChange>> viewChanges, List<Signed<PrePrepare>> prePrepares,
        int replica) implements ReplicaMessage {

    public NewView {
        viewChanges = List.copyOf(viewChanges);
        prePrepares = List.copyOf(prePrepares);
    }
}
