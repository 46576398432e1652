package io.pbft.crypto;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A key file that cannot be used, with a message that names the file and, where one is at fault,
 * the field: {@code keys/replica-0.key: field 'ed25519.private' must be 64 hex characters, found 12}.
 * The message never contains key material.
 *
 * <p>Unchecked, so that loading many key files fits in a stream or lambda; {@link KeyFile#read}
 * still declares it, and a node should catch it at start-up and report the message as it is.
 */
public final class KeyFileException extends RuntimeException {

    private final transient Path file;
    private final String field;

    KeyFileException(Path file, String field, String detail, Throwable cause) {
        super(file + ": " + detail, cause);
        this.file = Objects.requireNonNull(file, "file");
        this.field = field;
    }

    KeyFileException(Path file, String field, String detail) {
        this(file, field, detail, null);
    }

    /** The key file at fault. */
    public Path file() {
        return file;
    }

    /** The field at fault, if the problem is one field rather than the whole file. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
