package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Commit;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builders for core tests: a four-replica cluster (f = 1) where replica 0 is the primary of view 0. */
final class CoreFixtures {

    static final int N = 4;
    static final ByteString DIGEST_OF_NOTHING = ByteString.copyFrom(new byte[32]);

    private CoreFixtures() {}

    static ReplicaConfig config(int id) {
        return ReplicaConfig.defaults(N, id).withWindow(8, 4);
    }

    static Request request(long client, long timestamp) {
        return Request.of(client, timestamp, ByteString.copyFrom("op-" + client + "-" + timestamp, StandardCharsets.UTF_8));
    }

    static PrePrepare prePrepare(long view, long sequence, Request... batch) {
        List<Request> requests = List.of(batch);
        return new PrePrepare(view, sequence, PrePrepare.digestOf(requests), requests, 0);
    }

    static Prepare prepare(PrePrepare prePrepare, int replica) {
        return new Prepare(prePrepare.view(), prePrepare.sequence(), prePrepare.batchDigest(), replica);
    }

    static Commit commit(PrePrepare prePrepare, int replica) {
        return new Commit(prePrepare.view(), prePrepare.sequence(), prePrepare.batchDigest(), replica);
    }

    /** Results for an execution: one per request, each the request's own operation echoed back. */
    static List<ByteString> echo(Execution execution) {
        List<ByteString> results = new ArrayList<>();
        for (Request request : execution.requests()) {
            results.add(request.operation());
        }
        return results;
    }
}
