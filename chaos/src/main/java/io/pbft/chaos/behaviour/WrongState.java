package io.pbft.chaos.behaviour;

import com.google.protobuf.ByteString;
import io.pbft.core.Outbound;
import io.pbft.core.message.StateChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica that lies whenever it serves state: from {@code fromMillis} on, every part of a
 * checkpoint it sends a fetching replica is wrong in a plausible way (another service root,
 * flipped node hashes, a partition with one byte changed), well-formed and authenticated. A
 * fetcher must notice each lie against the certified digest, pass over this replica, and still
 * install exactly the checkpoint's state from the others.
 */
record WrongState(long fromMillis) implements Behaviour {

    @Override
    public List<Outbound> onOutbound(BehaviourContext context, Outbound outbound) {
        if (context.nowMillis() < fromMillis || !(outbound.message() instanceof StateChunk chunk)) {
            return List.of(outbound);
        }
        return List.of(Outbound.to(outbound.destination(),
                new StateChunk(chunk.sequence(), chunk.request(), lie(chunk.content()), chunk.replica())));
    }

    private static StateChunk.Content lie(StateChunk.Content content) {
        if (content instanceof StateChunk.Meta meta) {
            return new StateChunk.Meta(Forgery.flipped(meta.serviceRoot()), meta.partitionCount(), meta.clientTableDigest());
        }
        if (content instanceof StateChunk.Nodes nodes) {
            return new StateChunk.Nodes(nodes.level(), nodes.firstIndex(), flippedAll(nodes.hashes()));
        }
        StateChunk.Partition partition = (StateChunk.Partition) content;
        ByteString forged = partition.content().isEmpty() ? ByteString.copyFromUtf8("forged")
                : Forgery.flipped(partition.content());
        return new StateChunk.Partition(partition.index(), forged, partition.next());
    }

    private static List<ByteString> flippedAll(List<ByteString> hashes) {
        List<ByteString> lies = new ArrayList<>(hashes.size());
        for (ByteString hash : hashes) {
            lies.add(Forgery.flipped(hash));
        }
        return lies;
    }

    @Override
    public String toString() {
        return "wrong-state" + (fromMillis == 0 ? "" : "@" + fromMillis);
    }
}
