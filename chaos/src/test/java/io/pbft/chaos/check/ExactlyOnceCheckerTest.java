package io.pbft.chaos.check;

import static io.pbft.chaos.check.Histories.bytes;
import static io.pbft.chaos.check.Histories.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.message.Request;
import org.junit.jupiter.api.Test;

class ExactlyOnceCheckerTest {

    private final Request a = request(100, 1);
    private final Request b = request(100, 2);

    @Test
    void eachSentRequestExecutedOnceIsFine() {
        RunHistory history = new Histories(4).sent(a, b).allExecute(1, a).allExecute(2, b).build();

        assertThat(new ExactlyOnceChecker().check(history)).isEmpty();
    }

    @Test
    void aRequestExecutedTwiceIsAViolation() {
        RunHistory history = new Histories(1).sent(a, b).executes(0, 1, a).executes(0, 2, b, a).build();

        assertThat(new ExactlyOnceChecker().check(history))
                .singleElement()
                .satisfies(v -> assertThat(v.message())
                        .contains("replica 0 executed request (c100, t1) twice: at sequence numbers 1 and 2"));
    }

    @Test
    void aRequestNoClientSentIsAViolation() {
        RunHistory history = new Histories(1).sent(a).executes(0, 1, a).executes(0, 2, b).build();

        assertThat(new ExactlyOnceChecker().check(history))
                .singleElement()
                .satisfies(v -> assertThat(v.message()).contains("(c100, t2)", "no client sent it"));
    }

    @Test
    void aRequestWithAlteredContentIsAViolation() {
        Request forged = Request.of(100, 1, bytes("something else"));
        RunHistory history = new Histories(1).sent(a).executes(0, 1, forged).build();

        assertThat(new ExactlyOnceChecker().check(history))
                .singleElement()
                .satisfies(v -> assertThat(v.message()).contains("content other than what its client sent"));
    }

    @Test
    void aRequestExecutedAgainAtItsSequenceNumberAfterARestartIsExecutedOnce() {
        RunHistory history = new Histories(1).sent(a, b)
                .executes(0, 1, a).executes(0, 2, b)
                .restarts(0).executes(0, 2, b) // from its snapshot at 1
                .build();

        assertThat(new ExactlyOnceChecker().check(history)).isEmpty();
    }

    @Test
    void aRequestExecutedAgainAtAnotherSequenceNumberAfterARestartIsAViolation() {
        RunHistory history = new Histories(1).sent(a, b)
                .executes(0, 1, a)
                .restarts(0).executes(0, 2, b, a)
                .build();

        assertThat(new ExactlyOnceChecker().check(history))
                .singleElement()
                .satisfies(v -> assertThat(v.message())
                        .contains("(c100, t1) at sequence number 1 and, after a restart, again at 2"));
    }
}
