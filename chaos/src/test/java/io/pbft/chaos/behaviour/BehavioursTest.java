package io.pbft.chaos.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pbft.core.MessageSigner;
import io.pbft.core.Outbound;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.Commit;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Signed;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BehavioursTest {

    private static final ByteString DIGEST = ByteString.copyFrom(new byte[32]);

    /** Signs with a marker, so a test sees which messages the behaviour signed anew. */
    private static final MessageSigner SIGNER = new MessageSigner() {
        @Override
        public <M extends ReplicaMessage> Signed<M> sign(M message) {
            return new Signed<>(message, ByteString.copyFromUtf8("re-signed"));
        }
    };

    /** One source for the whole test, as a run has: each split draws anew. */
    private final Random random = new Random(7);

    private BehaviourContext context(long nowMillis) {
        return new BehaviourContext(1, 4, nowMillis, random, SIGNER);
    }

    @Test
    void everySweptSpecParsesToAFaultyBehaviour() {
        for (String spec : Behaviours.SWEEP) {
            assertThat(Behaviours.parse(spec).isCorrect()).as(spec).isFalse();
        }
    }

    @Test
    void anUnknownSpecNamesTheKnownOnes() {
        assertThatThrownBy(() -> Behaviours.parse("sulk")).hasMessageContaining("unknown behaviour 'sulk'")
                .hasMessageContaining("wrong-replies");
    }

    @Test
    void anEquivocatingVoterSendsEachPeerOneOfTwoDigestsForTheSameVote() {
        Behaviour voter = Behaviours.parse("equivocate-votes");
        Outbound prepare = Outbound.broadcast(SIGNER.sign(new Prepare(0, 5, DIGEST, 1)));

        Set<ByteString> digests = new java.util.HashSet<>();
        Set<Integer> peers = new java.util.HashSet<>();
        for (int round = 0; round < 20; round++) {
            for (Outbound sent : voter.onOutbound(context(0), prepare)) {
                peers.add(sent.destination());
                Prepare vote = (Prepare) sent.message();
                assertThat(vote.sequence()).isEqualTo(5);
                assertThat(sent.isSigned()).isTrue();
                digests.add(vote.batchDigest());
            }
        }
        assertThat(peers).containsExactlyInAnyOrder(0, 2, 3);
        assertThat(digests).hasSize(2).contains(DIGEST);
    }

    @Test
    void anEquivocatingVoterSplitsCommitsAndCheckpointsToo_butNotBeforeItsTime() {
        Behaviour voter = Behaviours.parse("equivocate-votes@100");
        Outbound commit = Outbound.broadcast(new Commit(0, 5, DIGEST, 1));
        Outbound checkpoint = Outbound.broadcast(SIGNER.sign(new Checkpoint(8, DIGEST, 1)));

        assertThat(voter.onOutbound(context(99), commit)).containsExactly(commit);
        Set<ByteString> commitDigests = new java.util.HashSet<>();
        Set<ByteString> checkpointDigests = new java.util.HashSet<>();
        for (int round = 0; round < 20; round++) {
            voter.onOutbound(context(100), commit).forEach(m -> commitDigests.add(((Commit) m.message()).batchDigest()));
            voter.onOutbound(context(100), checkpoint)
                    .forEach(m -> checkpointDigests.add(((Checkpoint) m.message()).stateDigest()));
        }
        assertThat(commitDigests).hasSize(2);
        assertThat(checkpointDigests).hasSize(2);
    }

    @Test
    void aWrongCheckpointerCertifiesTheSameWrongDigestToEveryone() {
        Outbound checkpoint = Outbound.broadcast(SIGNER.sign(new Checkpoint(8, DIGEST, 1)));

        List<Outbound> sent = Behaviours.parse("wrong-checkpoints").onOutbound(context(0), checkpoint);

        assertThat(sent).singleElement().satisfies(out -> {
            assertThat(out.isBroadcast()).isTrue();
            assertThat(out.envelope().toStringUtf8()).isEqualTo("re-signed");
            assertThat(((Checkpoint) out.message()).stateDigest()).isNotEqualTo(DIGEST);
        });
    }

    @Test
    void aWrongReplierChangesEveryResult() {
        Behaviour replier = Behaviours.parse("wrong-replies");
        Reply reply = new Reply(0, 100, 1, 1, ByteString.copyFromUtf8("value"));
        Reply empty = new Reply(0, 100, 2, 1, ByteString.EMPTY);

        Set<ByteString> results = replier.onReply(context(0), reply).stream().map(Reply::result)
                .collect(Collectors.toSet());

        assertThat(results).singleElement().isNotEqualTo(reply.result());
        assertThat(replier.onReply(context(0), empty)).singleElement()
                .satisfies(r -> assertThat(r.result()).isNotEmpty());
    }
}
