package io.pbft.driver.state;

import io.pbft.core.message.FetchState;
import io.pbft.core.message.StateChunk;
import java.util.List;

/**
 * One piece of a fetch (the meta, a step of the Merkle walk, a partition, the client table): it
 * names the part to ask a peer for next and checks the answer against what is already verified.
 * The {@link StateFetcher} chooses the peer, keeps the deadline and queues what comes next.
 */
interface FetchJob {

    /** The part to ask for now. */
    FetchState.Part part();

    /** Checks {@code content}, the answer of peer {@code from} to {@link #part()}. Never throws on what a peer sent. */
    Result onAnswer(int from, StateChunk.Content content);

    /** What an answer led to. */
    sealed interface Result permits Accepted, Refused {}

    /**
     * The answer is verified and kept; {@code next} is the work it leads to, which may hold this
     * job again to ask for its next part.
     */
    record Accepted(List<FetchJob> next) implements Result {
        public Accepted {
            next = List.copyOf(next);
        }
    }

    /**
     * The answer is refused and nothing of it kept: ask another peer. {@code blamed} are the
     * peers that supplied what failed (for a whole partition or table, all that contributed).
     */
    record Refused(TransferDrop reason, List<Integer> blamed) implements Result {
        public Refused {
            blamed = List.copyOf(blamed);
        }
    }

    static Result accepted(List<FetchJob> next) {
        return new Accepted(next);
    }

    static Result refused(TransferDrop reason, int from) {
        return new Refused(reason, List.of(from));
    }
}
