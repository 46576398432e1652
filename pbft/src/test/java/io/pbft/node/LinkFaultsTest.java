package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.testing.Await;
import io.pbft.transport.Connection;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LinkFaultsTest {

    private final ScheduledExecutorService delayer = Executors.newSingleThreadScheduledExecutor();
    private final LinkFaults faults = new LinkFaults(4, delayer);
    private final FaultControl control = new FaultControl(0, faults);

    @AfterEach
    void stopDelayer() {
        delayer.shutdownNow();
    }

    @Test
    void withoutFaultsEveryFrameGoesOutAtOnce() {
        Recording link = new Recording();
        faults.send(1, link, new byte[] {1});
        faults.send(1, link, new byte[] {2});

        assertThat(link.sent).extracting(frame -> frame[0]).containsExactly((byte) 1, (byte) 2);
        assertThat(faults.droppedFrames()).isZero();
    }

    @Test
    void aCutLinkDropsEveryFrameToThatPeerAndOnlyToIt() {
        assertThat(control.answer("cut=1,3")).startsWith("ok cut=1,3 ");
        Recording toOne = new Recording();
        Recording toTwo = new Recording();
        for (int i = 0; i < 10; i++) {
            faults.send(1, toOne, new byte[] {(byte) i});
            faults.send(2, toTwo, new byte[] {(byte) i});
        }

        assertThat(toOne.sent).isEmpty();
        assertThat(toTwo.sent).hasSize(10);
        assertThat(faults.droppedFrames()).isEqualTo(10);
        assertThat(control.answer("cut=none")).isEqualTo("ok cut=none drop=0.0 delay-ms=0 dropped=10 delayed=0");
        faults.send(1, toOne, new byte[] {42});
        assertThat(toOne.sent).hasSize(1);
    }

    @Test
    void dropProbabilityOneDropsAllAndZeroNone() {
        Recording link = new Recording();
        control.answer("drop=1");
        for (int i = 0; i < 100; i++) {
            faults.send(2, link, new byte[] {(byte) i});
        }
        assertThat(link.sent).isEmpty();

        control.answer("drop=0");
        for (int i = 0; i < 100; i++) {
            faults.send(2, link, new byte[] {(byte) i});
        }
        assertThat(link.sent).hasSize(100);
        assertThat(faults.droppedFrames()).isEqualTo(100);
    }

    @Test
    void aDelayedFrameLeavesLaterInOrderAndAsItWasWhenSent() throws InterruptedException {
        control.answer("delay-ms=20");
        Recording link = new Recording();
        byte[] reused = {1};
        faults.send(3, link, reused);
        reused[0] = 2; // the caller may reuse its array once send returns
        faults.send(3, link, reused);

        assertThat(Await.take(link.queue, "the first delayed frame")).containsExactly(1);
        assertThat(Await.take(link.queue, "the second delayed frame")).containsExactly(2);
        assertThat(faults.delayedFrames()).isEqualTo(2);
    }

    @Test
    void settingsCombineAndWhatACommandDoesNotNameStays() {
        control.answer("cut=2 drop=0.25");
        assertThat(control.answer("delay-ms=50")).startsWith("ok cut=2 drop=0.25 delay-ms=50 ");
        assertThat(control.answer("show")).startsWith("ok cut=2 drop=0.25 delay-ms=50 ");
        assertThat(control.answer("clear cut=1")).startsWith("ok cut=1 drop=0.0 delay-ms=0 ");
    }

    @Test
    void aBadCommandIsAnErrorAndChangesNothing() {
        control.answer("cut=1");
        List<String> bad = List.of("cut=1 drop=2", "drop=x", "cut=a,b", "cut=-1", "cut=4", "delay-ms=-5",
                "delay-ms=99999999", "drop=NaN", "partition 1", "cut=0 bogus");

        for (String command : bad) {
            assertThat(control.answer(command)).as(command).startsWith("error: ");
        }
        assertThat(faults.settings().describe()).isEqualTo("cut=1 drop=0.0 delay-ms=0");
    }

    @Test
    void settingsAreImmutable() {
        BitSet peers = new BitSet();
        peers.set(1);
        LinkFaults.Settings settings = LinkFaults.Settings.NONE.withCut(peers);
        peers.set(2);
        settings.cut().set(3);

        assertThat(settings.describe()).startsWith("cut=1 ");
        assertThatThrownBy(() -> faults.set(settings.withCut(BitSet.valueOf(new long[] {1L << 9}))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replica 9");
    }

    /** A connection that keeps what it was asked to send. */
    private static final class Recording implements Connection {
        final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        final List<byte[]> sent = new ArrayList<>();

        @Override
        public long id() {
            return 1;
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:1";
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public synchronized boolean send(byte[] frame) {
            byte[] copy = frame.clone();
            sent.add(copy);
            queue.add(copy);
            return true;
        }

        @Override
        public void close() {}

        @Override
        public void markAuthenticated() {}
    }
}
