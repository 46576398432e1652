package io.pbft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's section "Writing your own service" quotes the ledger's compiled code, so that what a
 * service author copies is what the build compiles and the tests run (LedgerLiveTest runs {@link
 * PayAFriend}).
 */
class ReadmeLedgerExamplesTest {

    /** Tests run in the module's directory; the README is the repository's. */
    private static final Path ROOT = Path.of("..");
    private static final Path LEDGER = Path.of("src/main/java/io/pbft/examples/ledger");

    @Test
    void theReadmeQuotesTheLedgersOwnershipRuleAndItsClientAsCompiled() throws IOException {
        String readme = read(ROOT.resolve("README.md"));

        assertThat(readme).contains(method(read(LEDGER.resolve("LedgerStateMachine.java")),
                "    private byte[] transfer("));
        assertThat(readme).contains(method(read(LEDGER.resolve("LedgerStateMachine.java")),
                "    public byte[] execute(byte[] operation, RequestContext context) {"));
        String payAFriend = read(Path.of("src/test/java/io/pbft/examples/PayAFriend.java"));
        assertThat(readme).contains(payAFriend.substring(payAFriend.indexOf("\nimport ") + 1).strip());
    }

    /** The method that starts with {@code signature}, up to its closing brace at the same indentation. */
    private static String method(String source, String signature) {
        int start = source.indexOf(signature);
        assertThat(start).as("%s is in the source", signature).isNotNegative();
        int end = source.indexOf("\n    }\n", start);
        return source.substring(start, end + "\n    }".length());
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).lines().collect(Collectors.joining("\n"));
    }
}
