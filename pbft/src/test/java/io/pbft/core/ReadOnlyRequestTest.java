package io.pbft.core;

import static io.pbft.core.CoreFixtures.commit;
import static io.pbft.core.CoreFixtures.config;
import static io.pbft.core.CoreFixtures.prePrepare;
import static io.pbft.core.CoreFixtures.prepare;
import static io.pbft.core.CoreFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.message.ForwardedRequest;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.execution.StateMachineExecutor;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.statemachine.kv.KvResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Read-only requests: answered from the state with the service's query, never ordered, never a write. */
class ReadOnlyRequestTest {

    private final KeyValueStateMachine store = new KeyValueStateMachine();
    private final StateMachineExecutor executor = new StateMachineExecutor(store, sequence -> { });

    private static Request readOnly(long client, long timestamp, byte[] operation) {
        return new Request(client, timestamp, ByteString.copyFrom(operation), true, List.of());
    }

    private static KvResult result(Reply reply) {
        return KvResult.decode(reply.result().toByteArray());
    }

    @Test
    void aReadOnlyRequestIsAnsweredFromTheStateWithoutOrderingIt() {
        Replica primary = CoreFixtures.replica(config(0));
        store.execute(KvOps.put("k", "v"));

        Effects effects = primary.onRequest(readOnly(7, 1, KvOps.get("k")), 10);

        assertThat(effects.messages()).isEmpty();
        assertThat(effects.executions()).isEmpty();
        assertThat(effects.queries()).singleElement().satisfies(q -> assertThat(q.view()).isZero());
        List<Reply> replies = executor.drain(primary, effects, 10).effects().replies();
        assertThat(replies).singleElement().satisfies(reply -> {
            assertThat(reply.clientId()).isEqualTo(7);
            assertThat(reply.timestamp()).isEqualTo(1);
            assertThat(reply.replica()).isZero();
            assertThat(result(reply)).isEqualTo(new KvResult.Value(Optional.of("v")));
        });
    }

    @Test
    void aReadOnlyRequestLeavesNoTraceInTheClientTable() {
        Replica primary = CoreFixtures.replica(config(0));
        primary.onRequest(readOnly(7, 50, KvOps.get("k")), 10);

        // An ordered request with an older timestamp is not stale: the read did not advance the client's.
        Effects ordered = primary.onRequest(request(7, 2), 11);

        assertThat(CoreFixtures.sent(ordered, PrePrepare.class)).hasSize(1);
        assertThat(primary.rejections().count(Rejection.STALE_REQUEST)).isZero();
    }

    @Test
    void aWriteMarkedReadOnlyIsAnsweredWithTheStoresErrorAndChangesNothing() {
        Replica primary = CoreFixtures.replica(config(0));
        store.execute(KvOps.put("k", "v"));
        byte[] digest = store.stateDigest();

        Effects effects = primary.onRequest(readOnly(7, 1, KvOps.put("k", "forged")), 10);

        assertThat(executor.drain(primary, effects, 10).effects().replies()).singleElement()
                .satisfies(reply -> assertThat(result(reply)).isInstanceOf(KvResult.Invalid.class));
        assertThat(store.stateDigest()).isEqualTo(digest);
        assertThat(KvResult.decode(store.query(KvOps.get("k")))).isEqualTo(new KvResult.Value(Optional.of("v")));
    }

    @Test
    void aForwardedReadOnlyRequestIsRejectedAndCounted() {
        Replica primary = CoreFixtures.replica(config(0));

        Effects effects = CoreFixtures.deliver(primary, 2, new ForwardedRequest(readOnly(7, 1, KvOps.get("k")), 2), 10);

        assertThat(effects.queries()).isEmpty();
        assertThat(effects.messages()).isEmpty();
        assertThat(primary.rejections().count(Rejection.READ_ONLY_FORWARDED)).isEqualTo(1);
    }

    @Test
    void aWriteMarkedReadOnlyThatAFaultyPrimaryOrdersRunsAsAQueryAndChangesNothing() {
        Replica backup = CoreFixtures.replica(config(1));
        store.execute(KvOps.put("k", "v"));
        byte[] digest = store.stateDigest();
        PrePrepare pp = prePrepare(0, 1, readOnly(7, 1, KvOps.put("k", "forged")));
        CoreFixtures.deliver(backup, 0, pp, 1);
        CoreFixtures.deliver(backup, 2, prepare(pp, 2), 2);
        CoreFixtures.deliver(backup, 0, commit(pp, 0), 3);
        Effects committed = CoreFixtures.deliver(backup, 2, commit(pp, 2), 4);
        assertThat(committed.executions()).hasSize(1);

        List<Reply> replies = executor.drain(backup, committed, 5).effects().replies();

        assertThat(replies).singleElement()
                .satisfies(reply -> assertThat(result(reply)).isInstanceOf(KvResult.Invalid.class));
        assertThat(store.stateDigest()).isEqualTo(digest);
    }
}
