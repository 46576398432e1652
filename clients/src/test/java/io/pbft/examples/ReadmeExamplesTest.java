package io.pbft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.client.LiveCluster;
import io.pbft.core.ReplicaConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java snippets are these examples, quoted from their imports on, so that what a
 * service author copies compiles as written; and the client's calls work.
 */
class ReadmeExamplesTest {

    /** Tests run in the module's directory; the README is the repository's. */
    private static final Path ROOT = Path.of("..");

    @TempDir
    Path directory;

    @Test
    void theReadmeQuotesTheExamplesFromTheirImportsOn() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);

        assertThat(readme).contains(fromImportsOn(ROOT.resolve("pbft/src/test/java/io/pbft/examples/RunAReplica.java")));
        assertThat(readme).contains(fromImportsOn(
                ROOT.resolve("clients/src/test/java/io/pbft/examples/CallTheService.java")));
    }

    @Test
    void theKeyValueExampleRunsAgainstFourReplicas() throws Exception {
        try (LiveCluster cluster = LiveCluster.start(directory, 4, ReplicaConfig.defaults(4, 0), 500)) {
            assertThat(CallTheService.callTheKeyValueStore(cluster.config)).isTrue();
        }
    }

    private static String fromImportsOn(Path source) throws IOException {
        String text = Files.readString(source, StandardCharsets.UTF_8);
        assertThat(text).as("%s has imports", source).contains("\nimport ");
        return text.substring(text.indexOf("\nimport ") + 1).lines().collect(Collectors.joining("\n"));
    }
}
