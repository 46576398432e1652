package io.pbft.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Set;

/**
 * Reads and writes a replica's or client's identity key file: a Java properties text file
 *
 * <pre>
 * # PBFT replica 0 identity key (Ed25519). Keep it secret: it holds the private key.
 * role=replica
 * id=0
 * ed25519.public=&lt;64 hex characters&gt;
 * ed25519.private=&lt;64 hex characters&gt;
 * </pre>
 *
 * <p>The public key is redundant; it is there so an operator can copy it into the cluster
 * configuration, and reading checks that it matches the private key. Files are written readable
 * and writable by their owner only where the file system has POSIX permissions. Fields other than
 * these four are ignored, so later versions may add some.
 */
public final class KeyFile {

    /** Field: {@code replica} or {@code client}. */
    public static final String FIELD_ROLE = "role";
    /** Field: the replica or client number. */
    public static final String FIELD_ID = "id";
    /** Field: the Ed25519 public key, 64 hex characters. */
    public static final String FIELD_PUBLIC = "ed25519.public";
    /** Field: the Ed25519 private key (RFC 8032 seed), 64 hex characters. */
    public static final String FIELD_PRIVATE = "ed25519.private";

    /** A key file is a few hundred bytes; anything much larger is not one, and is not read whole. */
    static final long MAX_FILE_BYTES = 64 * 1024;

    private static final HexFormat HEX = HexFormat.of();
    private static final int KEY_HEX_CHARS = 2 * SigningKey.PUBLIC_KEY_BYTES;
    private static final int MAX_QUOTED_CHARS = 40;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeyFile() {
    }

    /**
     * Writes {@code identity} to a new file, creating missing parent directories. Never overwrites:
     * replacing a key by accident would lock its holder out of the cluster.
     *
     * @throws FileAlreadyExistsException if {@code file} exists; use {@link #replace} to overwrite
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, KeyIdentity identity) throws IOException {
        byte[] content = format(identity);
        createParentDirectories(file);
        createOwnerOnly(file);
        try {
            writeAndSync(file, content);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * Writes {@code identity} to {@code file}, atomically replacing any file there: readers see
     * the old key file or the new one, never a part of either.
     */
    public static void replace(Path file, KeyIdentity identity) throws IOException {
        byte[] content = format(identity);
        Path directory = createParentDirectories(file);
        Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp", ownerOnlyIfSupported(directory));
        try {
            writeAndSync(temporary, content);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /**
     * Reads and checks a key file.
     *
     * @throws KeyFileException (unchecked) if the file is missing, unreadable, too large, not a
     *     properties file, lacks a field, has a malformed field, or its public key does not match
     *     its private key; the message names the file and the field
     */
    public static KeyIdentity read(Path file) throws KeyFileException {
        Properties fields = load(file);
        String role = requireField(file, fields, FIELD_ROLE);
        if (!KeyIdentity.isKnownRole(role)) {
            throw fieldError(file, FIELD_ROLE, "must be '" + KeyIdentity.REPLICA + "' or '" + KeyIdentity.CLIENT
                    + "', found '" + quoted(role) + "'");
        }
        int id = parseId(file, requireField(file, fields, FIELD_ID));
        byte[] privateKey = parseKey(file, fields, FIELD_PRIVATE);
        byte[] publicKey = parseKey(file, fields, FIELD_PUBLIC);
        SigningKey key = SigningKey.fromPrivateKeyBytes(privateKey);
        if (!Arrays.equals(key.publicKey(), publicKey)) {
            throw fieldError(file, FIELD_PUBLIC, "does not match the public key of '" + FIELD_PRIVATE + "'");
        }
        return new KeyIdentity(role, id, key);
    }

    /** The file's text; fields in a fixed order so that files are stable and easy to read. */
    static byte[] format(KeyIdentity identity) {
        SigningKey key = identity.key();
        String text = "# PBFT " + identity.role() + " " + identity.id() + " identity key (Ed25519).\n"
                + "# Keep this file secret: it holds the private key. Share only " + FIELD_PUBLIC + ".\n"
                + FIELD_ROLE + "=" + identity.role() + "\n"
                + FIELD_ID + "=" + identity.id() + "\n"
                + FIELD_PUBLIC + "=" + HEX.formatHex(key.publicKey()) + "\n"
                + FIELD_PRIVATE + "=" + HEX.formatHex(key.privateKeyBytes()) + "\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static Properties load(Path file) {
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw fileError(file, "is a directory, not a key file", null);
            }
            // A fresh decoder reports malformed input, as Files.readString did (Charset.decode would replace it).
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(readAtMost(file))).toString();
        } catch (NoSuchFileException e) {
            throw fileError(file, "file not found", e);
        } catch (AccessDeniedException e) {
            throw fileError(file, "permission denied", e);
        } catch (CharacterCodingException e) {
            throw fileError(file, "not a text file (invalid UTF-8)", e);
        } catch (IOException e) {
            throw fileError(file, "cannot read file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        Properties fields = new Properties();
        try {
            fields.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw fileError(file, "not a properties file: " + e.getMessage(), e);
        }
        return fields;
    }

    /**
     * The file's bytes, read no further than the limit: its size as the file system reports it
     * is no bound (a pipe or a device such as /dev/zero reports 0 and never ends).
     */
    private static byte[] readAtMost(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw fileError(file, "file too large for a key file (over " + MAX_FILE_BYTES + " bytes)", null);
        }
        return bytes;
    }

    private static String requireField(Path file, Properties fields, String field) {
        String value = fields.getProperty(field);
        if (value == null) {
            throw new KeyFileException(file, field, "missing field '" + field + "'");
        }
        return value.strip();
    }

    private static int parseId(Path file, String value) {
        try {
            int id = Integer.parseInt(value);
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below, with the negative case
        }
        throw fieldError(file, FIELD_ID, "must be a non-negative integer, found '" + quoted(value) + "'");
    }

    /** Parses a 32-byte key; never quotes the value, which may be a private key. */
    private static byte[] parseKey(Path file, Properties fields, String field) {
        String value = requireField(file, fields, field);
        if (value.length() != KEY_HEX_CHARS) {
            throw fieldError(file, field, "must be " + KEY_HEX_CHARS + " hex characters, found " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            if (!HexFormat.isHexDigit(value.charAt(i))) {
                throw fieldError(file, field, "must be " + KEY_HEX_CHARS + " hex characters, found a non-hex"
                        + " character at position " + (i + 1));
            }
        }
        return HEX.parseHex(value);
    }

    private static Path createParentDirectories(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        return directory;
    }

    private static void createOwnerOnly(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createFile(file, ownerOnlyIfSupported(directory));
    }

    private static FileAttribute<?>[] ownerOnlyIfSupported(Path directory) throws IOException {
        boolean posix = Files.getFileStore(directory).supportsFileAttributeView("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    }

    private static void writeAndSync(Path file, byte[] content) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        try (FileChannel channel = FileChannel.open(file, options)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private static KeyFileException fieldError(Path file, String field, String detail) {
        return new KeyFileException(file, field, "field '" + field + "' " + detail);
    }

    private static KeyFileException fileError(Path file, String detail, Throwable cause) {
        return new KeyFileException(file, null, detail, cause);
    }

    private static String quoted(String value) {
        return value.length() <= MAX_QUOTED_CHARS ? value : value.substring(0, MAX_QUOTED_CHARS) + "...";
    }
}
