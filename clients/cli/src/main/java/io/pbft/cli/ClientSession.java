package io.pbft.cli;

import io.pbft.client.KvClient;
import io.pbft.client.KvResultException;
import io.pbft.client.PbftClient;
import io.pbft.client.RejectedException;
import io.pbft.client.RequestTimeoutException;
import io.pbft.config.ClusterConfig;
import io.pbft.config.ConfigException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One command's connection to the cluster: a client with a fresh identity, closed at the end. */
final class ClientSession implements AutoCloseable {

    private final PbftClient client;
    private final KvClient kv;
    private final long timeoutMillis;

    private ClientSession(PbftClient client, long timeoutMillis) {
        this.client = client;
        this.kv = new KvClient(client);
        this.timeoutMillis = timeoutMillis;
    }

    static ClientSession open(ClusterOptions options, IdentityOptions identity) throws ConfigException {
        ClusterConfig config = options.load();
        long timeoutMillis = options.timeoutMillis();
        PbftClient.Builder builder = PbftClient.builder().cluster(config).timeoutMillis(timeoutMillis);
        identity.clientIdentity().ifPresent(builder::identity);
        return new ClientSession(builder.build(), timeoutMillis);
    }

    KvClient kv() {
        return kv;
    }

    /** The raw client, for commands that send bytes the key-value store does not define. */
    PbftClient client() {
        return client;
    }

    /** The answer, or an exception whose message says whether the operation may have taken effect. */
    <T> T await(CompletableFuture<T> answer) throws OperationFailedException, InterruptedException {
        try {
            // The client times out by itself; this bound only guards against a client that never does.
            return answer.get(2 * timeoutMillis + 1_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(false);
            throw noAnswer(e);
        } catch (ExecutionException e) {
            throw describe(unwrap(e));
        }
    }

    private OperationFailedException describe(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return noAnswer(failure);
        }
        if (failure instanceof RejectedException rejected) {
            String hint = rejected.reason() == RejectedException.Reason.NO_REPLICA_REACHABLE
                    ? " (is the cluster running? for the local one: scripts/cluster.sh status)"
                    : "";
            return new OperationFailedException("not sent to any replica, the operation did not take effect: "
                    + failure.getMessage() + hint, failure);
        }
        if (failure instanceof KvResultException) {
            return new OperationFailedException("the store rejected the operation, nothing changed: "
                    + failure.getMessage(), failure);
        }
        return new OperationFailedException("failed (the operation may or may not have taken effect): "
                + failure, failure);
    }

    private OperationFailedException noAnswer(Throwable cause) {
        String answers = cause instanceof RequestTimeoutException timeout ? timeout.answers() : "from the cluster";
        return new OperationFailedException("no answer within " + timeoutMillis + " ms " + answers
                + "; the operation may or may not have taken effect", cause);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Override
    public void close() {
        client.close();
    }
}
