package io.pbft.driver.state;

import com.google.protobuf.ByteString;
import io.pbft.core.StateDigests;
import io.pbft.core.message.FetchState;
import io.pbft.core.message.StateChunk;
import io.pbft.statemachine.PartitionedStateMachine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the state as of a certified checkpoint (sequence s, digest D) from the other replicas
 * into the local service, trusting no peer, only D (docs/state-transfer.md, steps 1 to 4): the
 * meta, a top-down Merkle walk against the local tree, the differing partitions through {@link
 * io.pbft.statemachine.PartitionInstall}, then the client table. {@link #completed()} then holds
 * what to report to the core ({@code Replica.onStateInstalled}).
 *
 * <p>A step function: every input ({@link #start}, {@link #onChunk}, {@link #onTick}, {@link
 * #retarget}) returns the requests to send. It reads no clock (time is {@code nowMillis}), draws no
 * random number and starts no thread, so the node and the simulator drive the same code.
 *
 * <p>At most one request is outstanding per peer, each with a deadline; partitions spread over
 * peers. A wrong answer or a timeout strikes the peer ({@link PeerRotation}) and the work goes to
 * another, resuming from what is verified: committed partitions stay, an uncommitted one goes on
 * from its last accepted chunk. Memory: the hashes of one walk step per answer, and about one
 * staged partition per peer (a partition's staging is bounded by {@code maxPartitionBytes}).
 *
 * <p>Not thread-safe: one thread drives it, as it drives the service it installs into.
 */
public final class StateFetcher {

    private static final Logger log = LoggerFactory.getLogger(StateFetcher.class);

    /** A request to send to replica {@code to}. */
    public record Outgoing(int to, FetchState message) {}

    /** The state as of checkpoint {@code sequence} is installed; {@code clientTable} is its verified client table. */
    public record Installed(long sequence, ByteString digest, ByteString clientTable) {}

    /** Work waiting for a peer; {@code avoid} failed it last, or -1. */
    private record Ready(FetchJob job, int avoid) {}

    private record InFlight(FetchJob job, long request, long deadlineMillis) {}

    private final int self;
    private final PartitionedStateMachine service;
    private final StateDigests digests;
    private final StateTransferLimits limits;
    private final PeerRotation peers;
    private final TransferDrops drops = new TransferDrops();
    private final ArrayDeque<Ready> ready = new ArrayDeque<>();
    private final TreeMap<Integer, InFlight> inFlight = new TreeMap<>();
    private FetchTally tally = new FetchTally();
    private FetchTarget target;
    private Installed completed;
    /** The number of the next request; never reused, so no old answer matches a new request. */
    private long nextRequest = 1;

    public StateFetcher(int self, int replicaCount, PartitionedStateMachine service, StateDigests digests,
            StateTransferLimits limits) {
        this.self = self;
        this.peers = new PeerRotation(self, replicaCount);
        this.service = Objects.requireNonNull(service, "service");
        this.digests = Objects.requireNonNull(digests, "digests");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Starts fetching the checkpoint at {@code sequence} with certified digest {@code digest}.
     * Forgets a completed fetch and the peers' strikes.
     *
     * @throws IllegalStateException if a fetch is under way: {@link #retarget} it
     */
    public List<Outgoing> start(long sequence, ByteString digest, long nowMillis) {
        if (target != null) {
            throw new IllegalStateException("already fetching checkpoint " + target.sequence + ": retarget instead");
        }
        completed = null;
        tally = new FetchTally();
        peers.forgetStrikes();
        aim(sequence, digest);
        return dispatch(nowMillis);
    }

    /**
     * Fetches the newer checkpoint at {@code sequence} instead, once it is learned stable mid-fetch:
     * restarts from the meta, keeping the partitions already committed (verified against the old
     * checkpoint, they are skipped where they still match) and nothing unverified.
     *
     * @throws IllegalStateException if no fetch is under way
     * @throws IllegalArgumentException if {@code sequence} is not above the current target
     */
    public List<Outgoing> retarget(long sequence, ByteString digest, long nowMillis) {
        if (target == null) {
            throw new IllegalStateException("no fetch to retarget: start one");
        }
        if (sequence <= target.sequence) {
            throw new IllegalArgumentException("checkpoint " + sequence + " is not newer than " + target.sequence);
        }
        aim(sequence, digest);
        return dispatch(nowMillis);
    }

    /** An answer from replica {@code from}, authenticated by the driver. */
    public List<Outgoing> onChunk(int from, StateChunk chunk, long nowMillis) {
        InFlight request = inFlight.get(from);
        if (target == null || request == null || chunk.sequence() != target.sequence
                || chunk.request() != request.request()) {
            // Late, duplicated or for another checkpoint: the request in flight still waits for its own answer.
            drops.count(TransferDrop.UNSOLICITED_CHUNK);
            return List.of();
        }
        inFlight.remove(from);
        FetchJob.Result result = request.job().onAnswer(from, chunk.content());
        if (result instanceof FetchJob.Refused refused) {
            refuse(request.job(), from, refused);
        } else {
            queueAfter(request.job(), ((FetchJob.Accepted) result).next());
        }
        completeIfDone();
        return dispatch(nowMillis);
    }

    /** Gives up on requests past their deadline, asking other peers, and sends what waits. */
    public List<Outgoing> onTick(long nowMillis) {
        if (target == null) {
            return List.of(); // no fetch under way: the common case, asked after every input
        }
        Iterator<Map.Entry<Integer, InFlight>> requests = inFlight.entrySet().iterator();
        while (requests.hasNext()) {
            Map.Entry<Integer, InFlight> request = requests.next();
            // Read before removing: a TreeMap may reuse the removed entry for its successor.
            int peer = request.getKey();
            InFlight timedOut = request.getValue();
            if (timedOut.deadlineMillis() <= nowMillis) {
                requests.remove();
                drops.count(TransferDrop.TIMEOUT);
                peers.strike(peer);
                ready.addFirst(new Ready(timedOut.job(), peer));
            }
        }
        return dispatch(nowMillis);
    }

    /** The fetched state, once every part is verified and installed; empty before, and after a new start. */
    public Optional<Installed> completed() {
        return Optional.ofNullable(completed);
    }

    /** The sequence number of the checkpoint being fetched, if a fetch is under way. */
    public OptionalLong fetching() {
        return target == null ? OptionalLong.empty() : OptionalLong.of(target.sequence);
    }

    /** The earliest deadline of a request outstanding: when {@link #onTick} has something to do. */
    public OptionalLong nextDeadlineMillis() {
        if (inFlight.isEmpty()) {
            return OptionalLong.empty(); // the common case, asked after every input of the replica
        }
        long earliest = Long.MAX_VALUE;
        for (InFlight request : inFlight.values()) {
            earliest = Math.min(earliest, request.deadlineMillis());
        }
        return OptionalLong.of(earliest);
    }

    public FetchStats stats() {
        return tally.snapshot();
    }

    public long dropped(TransferDrop reason) {
        return drops.get(reason);
    }

    public Map<TransferDrop, Long> drops() {
        return drops.snapshot();
    }

    /** How often {@code peer} answered wrong or not at all since the fetch started. */
    public int strikes(int peer) {
        return peers.strikes(peer);
    }

    private void aim(long sequence, ByteString digest) {
        Objects.requireNonNull(digest, "digest");
        ready.clear();
        inFlight.clear(); // their late answers name the old sequence or find no request: unsolicited
        target = new FetchTarget(sequence, digest, service, digests, limits, tally);
        ready.add(new Ready(new MetaJob(target), -1));
        log.debug("replica {} fetches the state as of checkpoint {}", self, sequence);
    }

    private void refuse(FetchJob job, int from, FetchJob.Refused refused) {
        drops.count(refused.reason());
        for (int peer : refused.blamed()) {
            peers.strike(peer);
        }
        log.debug("replica {} refused a state chunk from {} for checkpoint {}: {}", self, from, target.sequence,
                refused.reason());
        ready.addFirst(new Ready(job, from));
    }

    /** What an accepted answer leads to: the job's own next part first, so a staged partition finishes soon. */
    private void queueAfter(FetchJob answered, List<FetchJob> next) {
        for (FetchJob job : next) {
            if (job == answered) {
                ready.addFirst(new Ready(job, -1));
            } else {
                ready.addLast(new Ready(job, -1));
            }
        }
    }

    private void completeIfDone() {
        if (!ready.isEmpty() || !inFlight.isEmpty()) {
            return;
        }
        if (target.clientTable() == null || !Arrays.equals(service.stateDigest(), target.serviceRoot())) {
            // Every partition was checked against the verified tree: only a service changed behind
            // the fetcher's back, or one whose digest is not its Merkle root, ends here.
            throw new IllegalStateException("the service's digest is not the verified root of checkpoint "
                    + target.sequence + " after every differing partition was installed");
        }
        completed = new Installed(target.sequence, target.digest, target.clientTable());
        log.debug("replica {} installed the state as of checkpoint {}", self, target.sequence);
        target = null;
    }

    private List<Outgoing> dispatch(long nowMillis) {
        List<Outgoing> out = new ArrayList<>();
        Iterator<Ready> waiting = ready.iterator();
        while (waiting.hasNext() && inFlight.size() < peers.count()) {
            Ready work = waiting.next();
            OptionalInt peer = peers.choose(inFlight.keySet(), work.avoid());
            if (peer.isPresent()) {
                waiting.remove();
                long request = nextRequest++;
                inFlight.put(peer.getAsInt(), new InFlight(work.job(), request,
                        nowMillis + limits.requestTimeoutMillis()));
                tally.requestsSent++;
                out.add(new Outgoing(peer.getAsInt(), new FetchState(target.sequence, request, work.job().part(), self)));
            }
        }
        return out;
    }
}

