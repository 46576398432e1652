package io.pbft.client;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pbft.config.ClusterConfig;
import io.pbft.config.ReplicaEndpoint;
import io.pbft.transport.Connection;
import io.pbft.transport.FrameListener;
import io.pbft.transport.Transport;
import io.pbft.wire.ProvenEquivocation;
import io.pbft.wire.proto.ClientFrame;
import io.pbft.wire.proto.Counter;
import io.pbft.wire.proto.ReplicaFrame;
import io.pbft.wire.proto.StatusQuery;
import io.pbft.wire.proto.StatusReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks every replica for its progress over its client port, in parallel. Status reports are not
 * authenticated (no handshake is needed to ask): they are for operators and tests, not for
 * decisions a Byzantine replica could mislead.
 */
public final class StatusClient {

    private static final byte[] QUERY =
            ClientFrame.newBuilder().setStatusQuery(StatusQuery.getDefaultInstance()).build().toByteArray();

    private StatusClient() {}

    /**
     * One status per replica, in replica order; a replica that does not answer within
     * {@code timeout} is reported {@link ReplicaStatus#unreachable unreachable}.
     */
    public static List<ReplicaStatus> query(ClusterConfig config, Duration timeout) {
        List<CompletableFuture<StatusReport>> answers = new ArrayList<>();
        try (Transport transport = new Transport(PbftClient.transportConfig(config))) {
            // From here: starting the transport is this process's time, not the replicas' (seconds, on
            // a cold JVM beside a busy cluster).
            long deadline = System.nanoTime() + timeout.toNanos();
            for (ReplicaEndpoint replica : config.replicas()) {
                CompletableFuture<StatusReport> answer = new CompletableFuture<>();
                answers.add(answer);
                transport.connect(replica.host(), replica.clientPort(), new Listener(replica.id(), answer));
            }
            List<ReplicaStatus> statuses = new ArrayList<>();
            for (int id = 0; id < answers.size(); id++) {
                statuses.add(await(id, answers.get(id), deadline));
            }
            return statuses;
        }
    }

    private static ReplicaStatus await(int id, CompletableFuture<StatusReport> answer, long deadlineNanos) {
        try {
            StatusReport report = answer.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            SortedMap<String, Long> counters = new TreeMap<>();
            for (Counter counter : report.getCountersList()) {
                counters.put(counter.getName(), counter.getValue());
            }
            return new ReplicaStatus(id, true, report.getView(), report.getPrimary(), report.getChangingView(),
                    report.getNeedsState(), report.getLastExecuted(),
                    HexFormat.of().formatHex(report.getStateDigest().toByteArray()), report.getLowWatermark(),
                    counters, Math.max(report.getHighestSequence(), report.getLastExecuted()),
                    report.getEvidenceList().stream().map(proof -> new ProvenEquivocation(proof.getSender(), proof.getKind(),
                            proof.getView(), proof.getSequence(), proof.getFirst(), proof.getSecond())).toList());
        } catch (TimeoutException | ExecutionException e) {
            return ReplicaStatus.unreachable(id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ReplicaStatus.unreachable(id);
        }
    }

    /** Sends the query on every (re)connect; takes the first report from the replica asked. */
    private static final class Listener implements FrameListener {
        private final int replica;
        private final CompletableFuture<StatusReport> answer;

        Listener(int replica, CompletableFuture<StatusReport> answer) {
            this.replica = replica;
            this.answer = answer;
        }

        @Override
        public void onOpen(Connection connection) {
            connection.send(QUERY);
        }

        @Override
        public void onFrame(Connection connection, byte[] frame) {
            try {
                ReplicaFrame parsed = ReplicaFrame.parseFrom(frame);
                if (parsed.hasStatusReport() && parsed.getStatusReport().getReplica() == replica) {
                    answer.complete(parsed.getStatusReport());
                }
                // the server hello, or anything else, is not what was asked: ignore it
            } catch (InvalidProtocolBufferException e) {
                // a garbled frame is no answer
            }
        }
    }
}
