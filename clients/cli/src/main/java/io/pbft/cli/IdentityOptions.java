package io.pbft.cli;

import io.pbft.crypto.KeyFile;
import io.pbft.crypto.KeyFileException;
import io.pbft.crypto.KeyIdentity;
import io.pbft.crypto.SigningKey;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --key}: the client identity a command that sends requests acts as. */
public final class IdentityOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--key", paramLabel = "FILE",
            description = "The client identity to act as: a client key file written by `pbft keygen`"
                    + " (keys/client-<i>.key). Default: a fresh identity for this command.")
    Path key;

    /**
     * The client identity of {@code --key}, or empty for a fresh one.
     *
     * @throws KeyFileException naming the file and what is wrong with it
     * @throws ParameterException for a replica's key: a usage error naming the file to pass instead
     */
    public Optional<SigningKey> clientIdentity() {
        if (key == null) {
            return Optional.empty();
        }
        KeyIdentity identity = KeyFile.read(key);
        if (!identity.role().equals(KeyIdentity.CLIENT)) {
            throw new ParameterException(mixee.commandLine(), "--key " + key + " is " + identity.role() + " "
                    + identity.id() + "'s key, not a client's; pass a client key file such as keys/client-0.key"
                    + " (pbft keygen writes them)");
        }
        return Optional.of(identity.key());
    }
}
