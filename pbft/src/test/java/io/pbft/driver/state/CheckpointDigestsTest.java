package io.pbft.driver.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class CheckpointDigestsTest {

    private final CheckpointDigests digests = new CheckpointDigests();

    @Test
    void clientTableDigestIsTheSha256OfItsBytes() throws Exception {
        ByteString table = ByteString.copyFromUtf8("client table");

        assertThat(digests.clientTableDigest(table).toByteArray())
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(table.toByteArray()));
    }

    @Test
    void checkpointDigestIsTheSha256OfTwoThenTheRootThenTheTableDigest() throws Exception {
        ByteString root = digests.clientTableDigest(ByteString.copyFromUtf8("any 32 bytes"));
        ByteString tableDigest = digests.clientTableDigest(ByteString.EMPTY);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update((byte) 0x02);
        sha256.update(root.toByteArray());
        sha256.update(tableDigest.toByteArray());

        assertThat(digests.checkpointDigest(root, tableDigest).toByteArray()).isEqualTo(sha256.digest());
    }

    @Test
    void swappingTheRootAndTheTableDigestChangesTheCheckpointDigest() {
        ByteString a = digests.clientTableDigest(ByteString.copyFromUtf8("a"));
        ByteString b = digests.clientTableDigest(ByteString.copyFromUtf8("b"));

        assertThat(digests.checkpointDigest(a, b)).isNotEqualTo(digests.checkpointDigest(b, a));
    }
}
