package io.pbft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.testing.Await;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutboundBudgetTest {

    @Test
    void acquiresUpToTheLimitAndRefusesBeyondIt() {
        OutboundBudget budget = new OutboundBudget(300);

        assertThat(budget.tryAcquire(100)).isTrue();
        assertThat(budget.tryAcquire(200)).isTrue();
        assertThat(budget.queuedBytes()).isEqualTo(300);
        assertThat(budget.tryAcquire(1)).isFalse();
        assertThat(budget.queuedBytes()).as("a refusal reserves nothing").isEqualTo(300);
    }

    @Test
    void releasedBytesCanBeAcquiredAgain() {
        OutboundBudget budget = new OutboundBudget(300);
        budget.tryAcquire(300);

        budget.release(120);

        assertThat(budget.queuedBytes()).isEqualTo(180);
        assertThat(budget.tryAcquire(121)).isFalse();
        assertThat(budget.tryAcquire(120)).isTrue();
    }

    @Test
    void aFrameLargerThanTheFreeRoomIsRefusedEvenWhenSmallerOnesStillFit() {
        OutboundBudget budget = new OutboundBudget(1_000);
        budget.tryAcquire(900);

        assertThat(budget.tryAcquire(200)).isFalse();
        assertThat(budget.tryAcquire(100)).isTrue();
    }

    @Test
    void concurrentSendersNeverOvershootTheLimit() throws Exception {
        OutboundBudget budget = new OutboundBudget(10_000);
        int threads = 4;
        int attemptsPerThread = 10_000;
        AtomicLong granted = new AtomicLong();
        Thread[] senders = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            senders[t] = new Thread(() -> {
                for (int i = 0; i < attemptsPerThread; i++) {
                    if (budget.tryAcquire(7)) {
                        granted.addAndGet(7);
                    }
                }
            });
            senders[t].start();
        }
        for (Thread sender : senders) {
            sender.join(Await.TIMEOUT.toMillis());
            assertThat(sender.isAlive()).isFalse();
        }

        assertThat(granted.get()).isEqualTo(budget.queuedBytes()).isLessThanOrEqualTo(10_000).isGreaterThan(10_000 - 7);
    }
}
