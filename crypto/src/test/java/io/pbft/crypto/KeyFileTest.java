package io.pbft.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyFileTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SigningKey KEY = SigningKey.generate(RANDOM);
    private static final String PUBLIC_HEX = HexFormat.of().formatHex(KEY.publicKey());
    private static final String PRIVATE_HEX = HexFormat.of().formatHex(KEY.privateKeyBytes());

    @TempDir
    Path directory;

    @Test
    void replicaKeyFileRoundTrips() throws IOException {
        Path file = directory.resolve("replica-0.key");
        KeyIdentity identity = KeyIdentity.replica(0, KEY);

        KeyFile.write(file, identity);

        assertThat(KeyFile.read(file)).isEqualTo(identity);
    }

    @Test
    void clientKeyFileRoundTrips() throws IOException {
        Path file = directory.resolve("client-17.key");
        KeyIdentity identity = KeyIdentity.client(17, SigningKey.generate(RANDOM));

        KeyFile.write(file, identity);

        KeyIdentity read = KeyFile.read(file);
        assertThat(read.role()).isEqualTo("client");
        assertThat(read.id()).isEqualTo(17);
        assertThat(read.key().publicKey()).isEqualTo(identity.key().publicKey());
    }

    @Test
    void fileIsACommentedPropertiesFileWithTheFourFields() throws IOException {
        Path file = directory.resolve("replica-3.key");

        KeyFile.write(file, KeyIdentity.replica(3, KEY));

        String text = Files.readString(file, StandardCharsets.US_ASCII);
        assertThat(text).startsWith("#").contains(
                "role=replica\n", "id=3\n", "ed25519.public=" + PUBLIC_HEX + "\n", "ed25519.private=" + PRIVATE_HEX + "\n");
    }

    @Test
    void fileIsReadableAndWritableByItsOwnerOnly() throws IOException {
        assumeTrue(Files.getFileStore(directory).supportsFileAttributeView("posix"), "POSIX file system");
        Path file = directory.resolve("replica-1.key");

        KeyFile.write(file, KeyIdentity.replica(1, KEY));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void writeRefusesToOverwriteAnExistingKey() throws IOException {
        Path file = directory.resolve("replica-0.key");
        KeyFile.write(file, KeyIdentity.replica(0, KEY));

        assertThatThrownBy(() -> KeyFile.write(file, KeyIdentity.replica(0, SigningKey.generate(RANDOM))))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(KeyFile.read(file).key()).isEqualTo(KEY);
    }

    @Test
    void replaceOverwritesAnExistingKeyWithOwnerOnlyPermissions() throws IOException {
        Path file = directory.resolve("replica-0.key");
        KeyFile.write(file, KeyIdentity.replica(0, KEY));
        KeyIdentity replacement = KeyIdentity.replica(0, SigningKey.generate(RANDOM));

        KeyFile.replace(file, replacement);

        assertThat(KeyFile.read(file)).isEqualTo(replacement);
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).as("no temporary file left behind").containsExactly(file);
        }
        if (Files.getFileStore(directory).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void writeCreatesMissingParentDirectories() throws IOException {
        Path file = directory.resolve("keys").resolve("nested").resolve("client-0.key");

        KeyFile.write(file, KeyIdentity.client(0, KEY));

        assertThat(KeyFile.read(file).key()).isEqualTo(KEY);
    }

    @Test
    void readAcceptsUppercaseHexSurroundingBlanksAndUnknownFields() throws IOException {
        Path file = directory.resolve("replica-2.key");
        Files.writeString(file, "# hand-edited\n"
                + "role = replica  \n"
                + "id=2\n"
                + "comment=added by a later version\n"
                + "ed25519.public=" + PUBLIC_HEX.toUpperCase(Locale.ROOT) + "\n"
                + "ed25519.private=" + PRIVATE_HEX + "   \n");

        assertThat(KeyFile.read(file)).isEqualTo(KeyIdentity.replica(2, KEY));
    }

    @Test
    void missingFileIsReportedByName() {
        Path file = directory.resolve("replica-9.key");

        assertThatThrownBy(() -> KeyFile.read(file))
                .isInstanceOf(KeyFileException.class)
                .hasMessage(file + ": file not found")
                .satisfies(e -> assertThat(((KeyFileException) e).file()).isEqualTo(file))
                .satisfies(e -> assertThat(((KeyFileException) e).field()).isEmpty());
    }

    @Test
    void directoryIsNotAKeyFile() {
        assertThatThrownBy(() -> KeyFile.read(directory))
                .isInstanceOf(KeyFileException.class)
                .hasMessage(directory + ": is a directory, not a key file");
    }

    @Test
    void oversizedFileIsRejectedWithoutReadingIt() throws IOException {
        Path file = directory.resolve("huge.key");
        Files.write(file, new byte[(int) KeyFile.MAX_FILE_BYTES + 1]);

        assertThatThrownBy(() -> KeyFile.read(file))
                .isInstanceOf(KeyFileException.class)
                .hasMessageStartingWith(file + ": file too large");
    }

    @Test
    void binaryFileIsRejected() throws IOException {
        Path file = directory.resolve("binary.key");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xc3});

        assertThatThrownBy(() -> KeyFile.read(file))
                .isInstanceOf(KeyFileException.class)
                .hasMessageStartingWith(file + ": not a text file");
    }

    @Test
    void malformedEscapeIsRejectedAsNotAPropertiesFile() throws IOException {
        Path file = directory.resolve("escape.key");
        Files.writeString(file, "role=\\uZZZZ\n");

        assertThatThrownBy(() -> KeyFile.read(file))
                .isInstanceOf(KeyFileException.class)
                .hasMessageStartingWith(file + ": not a properties file");
    }

    static Stream<Arguments> malformedFields() {
        String wrongPublic = HexFormat.of().formatHex(SigningKey.generate(RANDOM).publicKey());
        return Stream.of(
                Arguments.of("role", without("role"), "missing field 'role'"),
                Arguments.of("id", without("id"), "missing field 'id'"),
                Arguments.of("ed25519.private", without("ed25519.private"), "missing field 'ed25519.private'"),
                Arguments.of("ed25519.public", without("ed25519.public"), "missing field 'ed25519.public'"),
                Arguments.of("role", set("role", "leader"), "field 'role' must be 'replica' or 'client', found 'leader'"),
                Arguments.of("id", set("id", "one"), "field 'id' must be a non-negative integer, found 'one'"),
                Arguments.of("id", set("id", "-1"), "field 'id' must be a non-negative integer, found '-1'"),
                Arguments.of("id", set("id", "99999999999"),
                        "field 'id' must be a non-negative integer, found '99999999999'"),
                Arguments.of("ed25519.private", set("ed25519.private", "0123456789ab"),
                        "field 'ed25519.private' must be 64 hex characters, found 12"),
                Arguments.of("ed25519.private", set("ed25519.private", "g" + PRIVATE_HEX.substring(1)),
                        "field 'ed25519.private' must be 64 hex characters, found a non-hex character at position 1"),
                Arguments.of("ed25519.public", set("ed25519.public", PUBLIC_HEX + "00"),
                        "field 'ed25519.public' must be 64 hex characters, found 66"),
                Arguments.of("ed25519.public", set("ed25519.public", wrongPublic),
                        "field 'ed25519.public' does not match the public key of 'ed25519.private'"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("malformedFields")
    void malformedFieldIsReportedWithFileAndFieldName(String field, UnaryOperator<String> corrupt, String problem)
            throws IOException {
        Path file = directory.resolve("replica-0.key");
        Files.writeString(file, corrupt.apply(validText()));

        assertThatThrownBy(() -> KeyFile.read(file))
                .isInstanceOf(KeyFileException.class)
                .hasMessage(file + ": " + problem)
                .satisfies(e -> assertThat(((KeyFileException) e).field()).contains(field))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PRIVATE_HEX.substring(1)));
    }

    @Test
    void errorMessageUsesThePathAsGiven() throws IOException {
        Path relative = Path.of("target", "key-file-test", "replica-0.key");
        Files.createDirectories(relative.getParent());
        Files.writeString(relative, set("ed25519.private", "0123456789ab").apply(validText()));
        try {
            assertThatThrownBy(() -> KeyFile.read(relative))
                    .hasMessage("target/key-file-test/replica-0.key".replace('/', relative.getFileSystem()
                            .getSeparator().charAt(0))
                            + ": field 'ed25519.private' must be 64 hex characters, found 12");
        } finally {
            Files.deleteIfExists(relative);
        }
    }

    @Test
    void identityRejectsUnknownRolesAndNegativeIds() {
        assertThatThrownBy(() -> new KeyIdentity("primary", 0, KEY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'primary'");
        assertThatThrownBy(() -> KeyIdentity.replica(-1, KEY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    private static String validText() {
        return "# test key\n"
                + "role=replica\n"
                + "id=0\n"
                + "ed25519.public=" + PUBLIC_HEX + "\n"
                + "ed25519.private=" + PRIVATE_HEX + "\n";
    }

    private static UnaryOperator<String> without(String field) {
        return text -> text.replaceAll("(?m)^" + java.util.regex.Pattern.quote(field) + "=.*\n", "");
    }

    private static UnaryOperator<String> set(String field, String value) {
        return text -> text.replaceAll("(?m)^" + java.util.regex.Pattern.quote(field) + "=.*$",
                java.util.regex.Matcher.quoteReplacement(field + "=" + value));
    }
}
