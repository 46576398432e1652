package io.pbft.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pbft.core.message.FetchState;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.SlowPrimaryComplaint;
import io.pbft.core.message.StateChunk;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The MAC'd messages of state transfer and of the slow-primary defence survive the wire, and bad shapes do not. */
class StateTransferCodecTest {

    private static final ByteString DIGEST = ByteString.copyFrom(new byte[32]);
    private static final SignedOpener NO_NESTED = new SignedOpener() {
        @Override
        public <M extends ReplicaMessage> io.pbft.core.message.Signed<M> open(ByteString envelope, Class<M> kind) {
            throw new AssertionError("these messages nest no signed message");
        }
    };

    private static ReplicaMessage roundTrip(ReplicaMessage message) throws MalformedMessageException {
        return WireCodec.decode(message.replica(), WireCodec.encode(message), NO_NESTED);
    }

    @Test
    void everyKindComesBackEqual() throws MalformedMessageException {
        List<ReplicaMessage> messages = List.of(
                new FetchState(64, 7, new FetchState.Meta(), 2),
                new FetchState(64, 8, new FetchState.Nodes(3, 4, 8), 2),
                new FetchState(64, 9, new FetchState.Partition(FetchState.CLIENT_TABLE, ByteString.copyFromUtf8("c"), 512), 2),
                new StateChunk(64, 7, new StateChunk.Meta(DIGEST, 256, DIGEST), 1),
                new StateChunk(64, 8, new StateChunk.Nodes(3, 4, List.of(DIGEST, DIGEST)), 1),
                new StateChunk(64, 9, new StateChunk.Partition(5, ByteString.copyFromUtf8("entries"), ByteString.EMPTY), 1),
                new SlowPrimaryComplaint(3, 1));
        for (ReplicaMessage message : messages) {
            assertThat(roundTrip(message)).isEqualTo(message);
        }
    }

    @Test
    void badShapesAreMalformed() {
        assertThatThrownBy(() -> roundTrip(new StateChunk(64, 1, new StateChunk.Meta(ByteString.EMPTY, 256, DIGEST), 1)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("service_root");
        assertThatThrownBy(() -> roundTrip(new FetchState(64, 1, new FetchState.Partition(-2, ByteString.EMPTY, 1), 2)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("partition index");
        assertThatThrownBy(() -> roundTrip(new FetchState(64, 1, new FetchState.Nodes(-1, 0, 1), 2)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("level");
        var noPart = io.pbft.wire.proto.ReplicaMessage.newBuilder()
                .setFetchState(io.pbft.wire.proto.FetchState.newBuilder().setSequence(8).setReplica(2)).build();
        assertThatThrownBy(() -> WireCodec.decode(2, noPart, NO_NESTED))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("without a part");
    }
}
