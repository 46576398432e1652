package io.pbft.cli;

import io.pbft.config.ClusterConfig;
import io.pbft.node.FaultControl;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pbft fault}: changes the network faults of one replica of this machine that runs with
 * {@code --fault-control}, through its fault-control port on 127.0.0.1 ({@link FaultControl}).
 */
@Command(name = "fault", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"For tests: drops, delays or cuts what one replica sends to its peers, on a replica of this"
                + " machine started with --fault-control (scripts/cluster.sh start --fault-control). Faults act on"
                + " the sending side: for a symmetric partition, cut the link on both sides.",
                "Without a setting it prints those in force. Settings not given stay as they were. Prints the"
                        + " settings in force and the frames dropped and delayed so far. Exit code 0 when the replica"
                        + " took them, 1 when it could not be reached or refused them."})
public final class FaultCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--replica", paramLabel = "N", description = "The replica whose links to fault: its"
            + " fault-control port is its client port + " + FaultControl.PORT_OFFSET + " in the cluster config.")
    Integer replica;

    @Option(names = "--port", paramLabel = "PORT",
            description = "The fault-control port itself, for a replica started with --fault-control PORT.")
    Integer port;

    @Option(names = "--cut", paramLabel = "IDS", split = ",", splitSynopsisLabel = ",",
            description = "Cut the links to exactly these replicas (the others heal).")
    List<Integer> cut;

    @Option(names = "--heal", description = "Heal every cut link.")
    boolean heal;

    @Option(names = "--drop", paramLabel = "P", description = "Drop each frame on the other links with probability P.")
    Double drop;

    @Option(names = "--delay-ms", paramLabel = "MILLIS", description = "Send each frame on the other links this late.")
    Long delayMillis;

    @Option(names = "--clear", description = "No faults at all (applied before the other settings given).")
    boolean clear;

    @Override
    public Integer call() throws Exception {
        String command = command();
        int target = targetPort();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String answer;
        try {
            answer = FaultControl.request(target, command, Duration.ofMillis(cluster.timeoutMillis()));
        } catch (IOException e) {
            err.printf("no fault-control port at 127.0.0.1:%d (was the replica started with --fault-control?): %s%n",
                    target, e.getMessage());
            err.flush();
            return ExitCodes.FAILED;
        }
        (answer.startsWith("ok") ? out : err).println(answer);
        out.flush();
        err.flush();
        return answer.startsWith("ok") ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The text the fault-control port takes: the settings given, {@code show} for none. */
    String command() {
        if (heal && cut != null) {
            throw new ParameterException(spec.commandLine(), "--heal and --cut: give one of them");
        }
        List<String> words = new ArrayList<>();
        if (clear) {
            words.add("clear");
        }
        if (heal) {
            words.add("cut=none");
        }
        if (cut != null) {
            words.add("cut=" + cut.stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        if (drop != null) {
            words.add("drop=" + drop);
        }
        if (delayMillis != null) {
            words.add("delay-ms=" + delayMillis);
        }
        return words.isEmpty() ? "show" : String.join(" ", words);
    }

    private int targetPort() throws Exception {
        if ((replica == null) == (port == null)) {
            throw new ParameterException(spec.commandLine(), "give either --replica N or --port PORT");
        }
        if (port != null) {
            return port;
        }
        ClusterConfig config = cluster.load();
        if (replica < 0 || replica >= config.replicaCount()) {
            throw new ParameterException(spec.commandLine(), "--replica " + replica + " is not in this cluster of "
                    + config.replicaCount());
        }
        return config.replica(replica).clientPort() + FaultControl.PORT_OFFSET;
    }
}
