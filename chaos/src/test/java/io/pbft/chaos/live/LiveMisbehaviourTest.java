package io.pbft.chaos.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pbft.core.MessageSigner;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Signed;
import io.pbft.driver.OutboundFilter;
import io.pbft.node.Misbehaviour;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class LiveMisbehaviourTest {

    private static final MessageSigner SIGNER = new MessageSigner() {
        @Override
        public <M extends ReplicaMessage> Signed<M> sign(M message) {
            return new Signed<>(message, ByteString.copyFromUtf8("signed"));
        }
    };

    private final Misbehaviour provider = new LiveMisbehaviour();

    @Test
    void itIsFoundOnTheClassPathAsTheReplicaCommandLooksForIt() {
        assertThat(ServiceLoader.load(Misbehaviour.class)).hasAtLeastOneElementOfType(LiveMisbehaviour.class);
    }

    @Test
    void itKnowsTheCatalogueButNotHonestyNorStrangers() {
        assertThat(provider.knows("equivocate")).isTrue();
        assertThat(provider.knows("silent@5000")).isTrue();
        assertThat(provider.knows("honest")).isFalse();
        assertThat(provider.knows("sulk")).isFalse();
        assertThatThrownBy(() -> provider.knows("silent@soon")).hasMessageContaining("must be followed by a time");
    }

    @Test
    void behavioursTheSimulatorMustScheduleAreRefusedWithTheReason() {
        assertThatThrownBy(() -> provider.knows("slow:700")).hasMessageContaining("runs only in the simulator");
        assertThatThrownBy(() -> provider.knows("twin")).hasMessageContaining("runs only in the simulator");
    }

    @Test
    void theFilterActsAsTheBehaviourSays() {
        OutboundFilter wrongReplies = provider.filter("wrong-replies", 2, 4, SIGNER);
        Reply reply = new Reply(0, 100, 1, 2, ByteString.copyFromUtf8("value"));

        assertThat(wrongReplies.onReply(reply)).singleElement()
                .satisfies(sent -> assertThat(sent.result()).isNotEqualTo(reply.result()));
    }
}
