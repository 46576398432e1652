package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pbft.crypto.SigningKey;
import io.pbft.driver.DropReason;
import io.pbft.transport.Connection;
import io.pbft.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The watch's rules, with frames carried by hand between watches: replica 0 is the peer that
 * echoes, replica 1 the genuine process (incarnation 0xa), and a second process with replica 1's
 * key (incarnation 0xb) plays the duplicate.
 */
class IdentityWatchTest {

    private static final List<SigningKey> KEYS = LocalCluster.generateKeys(4);
    private static final Connection CONNECTION = new Connection() {
        @Override
        public long id() {
            return 1;
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:40000";
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public boolean send(byte[] frame) {
            return true;
        }

        @Override
        public void close() {}

        @Override
        public void markAuthenticated() {}
    };

    private final Logger logger = (Logger) LoggerFactory.getLogger(IdentityWatch.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    /** What replica 0 sent, each as {peer, frame}. */
    private final List<Object[]> sentByPeer = new ArrayList<>();
    private final NodeMetrics peerMetrics = new NodeMetrics(Metrics.NONE, 0);
    private final NodeMetrics genuineMetrics = new NodeMetrics(Metrics.NONE, 1);
    private final IdentityWatch peer = watch(0, 0x5, KEYS.get(0), peerMetrics, (to, frame) -> sentByPeer.add(
            new Object[] {to, frame}));
    private final IdentityWatch genuine = watch(1, 0xa, KEYS.get(1), genuineMetrics, (to, frame) -> { });
    private final IdentityWatch duplicate = watch(1, 0xb, KEYS.get(1),
            new NodeMetrics(Metrics.NONE, 1), (to, frame) -> { });

    private static IdentityWatch watch(int id, long incarnation, SigningKey key, NodeMetrics metrics,
            io.pbft.driver.FrameSink sink) {
        byte[][] publicKeys = KEYS.stream().map(SigningKey::publicKey).toArray(byte[][]::new);
        return new IdentityWatch(id, incarnation, key, publicKeys, sink, metrics);
    }

    @BeforeEach
    void catchErrors() {
        logged.start();
        logger.addAppender(logged);
        logger.setAdditive(false);
    }

    @AfterEach
    void releaseLogger() {
        logger.detachAppender(logged);
        logger.setAdditive(true);
    }

    /** Replica 0 hears {@code announcer}'s announcement; returns the echo it sent to replica 1's address. */
    private byte[] echoOf(IdentityWatch announcer) {
        sentByPeer.clear();
        peer.onFrame(CONNECTION, announcer.announcement());
        assertThat(sentByPeer).hasSize(1);
        assertThat(sentByPeer.get(0)[0]).isEqualTo(1);
        return (byte[]) sentByPeer.get(0)[1];
    }

    @Test
    void aPeerEchoesAnAnnouncementToTheAnnouncersAddressAndItsOwnIncarnationIsNoAlarm() {
        assertThat(IdentityWatch.isPresence(genuine.announcement())).isTrue();

        genuine.onFrame(CONNECTION, echoOf(genuine));

        assertThat(genuineMetrics.duplicateIdentities()).isZero();
        assertThat(logged.list).isEmpty();
    }

    @Test
    void theSameAnnouncementReplayedAtOnceIsNotEchoedAgain() {
        echoOf(genuine);
        sentByPeer.clear();

        peer.onFrame(CONNECTION, genuine.announcement());

        assertThat(sentByPeer).isEmpty();
    }

    @Test
    void oneReportOfAnotherIncarnationIsARestartTwoAreADuplicateLoggedOnceAndCountedEachTime() {
        genuine.onFrame(CONNECTION, echoOf(duplicate));
        assertThat(genuineMetrics.duplicateIdentities()).as("one report: the previous process's last word").isZero();

        // The two processes announce in turn: the peer echoes each change at once.
        genuine.onFrame(CONNECTION, echoOf(genuine));
        genuine.onFrame(CONNECTION, echoOf(duplicate));
        genuine.onFrame(CONNECTION, echoOf(genuine));
        genuine.onFrame(CONNECTION, echoOf(duplicate));

        assertThat(genuineMetrics.duplicateIdentities()).isEqualTo(2);
        assertThat(genuineMetrics.nonZeroCounters()).containsEntry("duplicate_identity", 2L);
        assertThat(logged.list).hasSize(1);
        assertThat(logged.list.get(0).getLevel()).isEqualTo(Level.ERROR);
        assertThat(logged.list.get(0).getFormattedMessage())
                .startsWith("replica 1 (incarnation a): another process runs with this replica's id and key:"
                        + " replica 0 heard this replica's id announce incarnation b; stop one of them");
    }

    @Test
    void anAnnouncementWithItsOwnKeyAndAnotherIncarnationIsADuplicateAtOnce() {
        genuine.onFrame(CONNECTION, genuine.announcement());
        assertThat(genuineMetrics.duplicateIdentities()).isZero();

        genuine.onFrame(CONNECTION, duplicate.announcement());

        assertThat(genuineMetrics.duplicateIdentities()).isEqualTo(1);
        assertThat(logged.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("a process announced itself with this replica's key, as incarnation b, on a connection"
                        + " from 127.0.0.1:40000");
    }

    @Test
    void aPresenceNotSignedByTheReplicaItNamesOrMalformedIsDroppedCountedAndNotEchoed() {
        IdentityWatch forger = watch(1, 0xc, KEYS.get(2), new NodeMetrics(Metrics.NONE, 1),
                (to, frame) -> { });
        byte[] truncated = java.util.Arrays.copyOf(genuine.announcement(), 10);

        peer.onFrame(CONNECTION, forger.announcement());
        peer.onFrame(CONNECTION, truncated);

        assertThat(sentByPeer).isEmpty();
        assertThat(peerMetrics.dropped(DropReason.BAD_SIGNATURE)).isEqualTo(1);
        assertThat(peerMetrics.dropped(DropReason.MALFORMED_FRAME)).isEqualTo(1);
    }
}
