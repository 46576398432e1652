package io.pbft.cli;

import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pbft invoke --hex HEX}: one operation of any service, as raw bytes, for a service the
 * key-value commands do not speak. The result is printed as hex, as the replicas agreed on it.
 */
@Command(name = "invoke", mixinStandardHelpOptions = true,
        description = {"Sends one operation, given as hex bytes, to whatever service the cluster runs, and prints"
                + " the result the replicas agreed on as hex (empty line for an empty result)."})
final class InvokeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    IdentityOptions identity;

    @Option(names = "--hex", required = true, paramLabel = "HEX",
            description = "The operation's bytes in hexadecimal, two digits a byte (e.g. 0a03666f6f); empty for none.")
    String hex;

    @Override
    public Integer call() throws Exception {
        byte[] operation = parseHex();
        try (ClientSession session = ClientSession.open(cluster, identity)) {
            byte[] result = session.await(session.client().invoke(operation));
            spec.commandLine().getOut().println(HexFormat.of().formatHex(result));
            return ExitCodes.OK;
        }
    }

    /** Checked before connecting: a typo is the user's to fix and must not cost a request. */
    private byte[] parseHex() {
        String digits = hex.strip();
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            digits = digits.substring(2);
        }
        try {
            return HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--hex " + hex
                    + ": not hexadecimal bytes (an even number of digits 0-9, a-f): " + e.getMessage());
        }
    }
}
