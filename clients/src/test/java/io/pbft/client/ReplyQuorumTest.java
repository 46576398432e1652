package io.pbft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Reply;
import org.junit.jupiter.api.Test;

class ReplyQuorumTest {

    private static final long CLIENT = 7;
    private static final long TIMESTAMP = 100;

    private static Reply reply(int replica, long view, String result) {
        return new Reply(view, CLIENT, TIMESTAMP, replica, ByteString.copyFromUtf8(result));
    }

    @Test
    void aResultIsAcceptedOnFPlusOneMatchingRepliesFromDistinctReplicas() {
        ReplyQuorum quorum = new ReplyQuorum(CLIENT, TIMESTAMP, 1);
        assertThat(quorum.offer(reply(0, 0, "a"))).isEmpty();
        assertThat(quorum.offer(reply(0, 0, "a"))).as("the same replica twice").isEmpty();
        assertThat(quorum.offer(reply(1, 0, "b"))).isEmpty();
        assertThat(quorum.offer(reply(2, 0, "a"))).contains(ByteString.copyFromUtf8("a"));
    }

    @Test
    void aReadOnlyQuorumNeedsTwoFPlusOneMatchingReplies() {
        ReplyQuorum quorum = new ReplyQuorum(CLIENT, TIMESTAMP, 1, 3);
        assertThat(quorum.offer(reply(0, 0, "a"))).isEmpty();
        assertThat(quorum.offer(reply(3, 0, "a"))).as("f + 1 = 2: one may be a liar").isEmpty();
        assertThat(quorum.offer(reply(1, 0, "a"))).contains(ByteString.copyFromUtf8("a"));
    }

    @Test
    void repliesThatSplitSoThatNoResultCanGatherTheQuorumAreSeenAtOnce() {
        ReplyQuorum quorum = new ReplyQuorum(CLIENT, TIMESTAMP, 1, 3);
        quorum.offer(reply(0, 0, "a"));
        quorum.offer(reply(1, 0, "b"));
        assertThat(quorum.canStillAgree(4)).as("a, b and two to come: a + 2 = 3").isTrue();
        quorum.offer(reply(2, 0, "c"));
        assertThat(quorum.canStillAgree(4)).as("one to come: at most 2 alike").isFalse();
    }

    @Test
    void aQuorumIsFPlusOneOrTwoFPlusOne() {
        assertThatThrownBy(() -> new ReplyQuorum(CLIENT, TIMESTAMP, 1, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("f + 1 or 2f + 1");
    }

    @Test
    void repliesToAnotherRequestAreIgnored() {
        ReplyQuorum quorum = new ReplyQuorum(CLIENT, TIMESTAMP, 1);
        quorum.offer(new Reply(0, CLIENT, TIMESTAMP - 1, 0, ByteString.copyFromUtf8("a")));
        quorum.offer(new Reply(0, CLIENT + 1, TIMESTAMP, 1, ByteString.copyFromUtf8("a")));
        assertThat(quorum.repliesReceived()).isZero();
    }

    @Test
    void oneFaultyReplicaCannotInflateTheVouchedView() {
        ReplyQuorum quorum = new ReplyQuorum(CLIENT, TIMESTAMP, 1);
        quorum.offer(reply(3, 1_000_000, "a"));
        assertThat(quorum.viewVouchedFor()).isZero();
        quorum.offer(reply(0, 2, "a"));
        quorum.offer(reply(1, 2, "a"));
        assertThat(quorum.viewVouchedFor()).isEqualTo(2);
    }
}
