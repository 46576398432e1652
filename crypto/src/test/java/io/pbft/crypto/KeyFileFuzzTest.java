package io.pbft.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile key files: whatever a key file holds, reading it gives a checked identity or a
 * {@link KeyFileException} that names the file, never another exception and never the private key.
 *
 * <p>{@link #keyFileReads} replays its corpus under plain JUnit and fuzzes with {@code JAZZER_FUZZ=1}
 * (docs/fuzzing.md); the seeded test feeds it damaged valid key files.
 */
class KeyFileFuzzTest {

    private static final SigningKey KEY = SigningKey.fromPrivateKeyBytes(new byte[32]);
    private static final String PRIVATE_HEX = HexFormat.of().formatHex(KEY.privateKeyBytes());
    private static final byte[] VALID = KeyFile.format(KeyIdentity.replica(1, KEY));

    /** Values a field can hold that a careless parser trips on. */
    private static final String[] HOSTILE_VALUES = {"", "-1", "2147483648", "99999999999999999999", "0x10", "1e3",
        "\\u00", "\\uZZZZ", "\\", "replica\u0000", "z".repeat(64), "0".repeat(63), "0".repeat(65), "é".repeat(64),
        "replica\\\n  extra", " ", "\t1", "+1"};

    @FuzzTest(maxDuration = "2m")
    void keyFileReads(byte[] content) {
        Path file = write(content);
        try {
            KeyIdentity identity = KeyFile.read(file);
            assertThat(identity.key().publicKey()).hasSize(SigningKey.PUBLIC_KEY_BYTES);
        } catch (KeyFileException refused) {
            assertThat(refused.file()).isEqualTo(file);
            assertThat(refused.getMessage()).doesNotContain(PRIVATE_HEX);
        } finally {
            delete(file);
        }
    }

    @Test
    void seededDamagedKeyFilesAreReadOrRefusedClearly() {
        RandomizedCheck.run(getClass(), "seededDamagedKeyFilesAreReadOrRefusedClearly", 500,
                random -> keyFileReads(damaged(random)));
    }

    /**
     * Found by thinking about what the fuzzer cannot write: a file whose reported size is no bound.
     * Reading went on until the heap ran out; now it stops one byte past the limit.
     */
    @Test
    void aKeyFileThatNeverEndsIsRefusedAtItsLimit() {
        Path endless = Path.of("/dev/zero");
        assumeTrue(Files.isReadable(endless), "needs /dev/zero");

        assertThatThrownBy(() -> KeyFile.read(endless)).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("too large for a key file");
    }

    /** The valid file with a field's value replaced, a line dropped or doubled, a bit flipped or bytes cut. */
    private static byte[] damaged(Random random) {
        List<String> lines = new ArrayList<>(List.of(new String(VALID, StandardCharsets.US_ASCII).split("\n")));
        int line = random.nextInt(lines.size());
        switch (random.nextInt(5)) {
            case 0 -> {
                String text = lines.get(line);
                int equals = Math.max(0, text.indexOf('='));
                lines.set(line, text.substring(0, equals + 1) + HOSTILE_VALUES[random.nextInt(HOSTILE_VALUES.length)]);
            }
            case 1 -> lines.remove(line);
            case 2 -> lines.add(random.nextInt(lines.size()), lines.get(line));
            default -> { }
        }
        byte[] bytes = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        if (random.nextBoolean()) {
            bytes = RandomizedCheck.flipBit(bytes, random.nextInt(bytes.length * 8));
        }
        if (random.nextInt(4) == 0) {
            bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
        }
        return bytes;
    }

    private static Path write(byte[] content) {
        try {
            Path file = Files.createTempFile("key-file-fuzz", ".key");
            Files.write(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
