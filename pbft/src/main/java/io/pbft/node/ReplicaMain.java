package io.pbft.node;

import picocli.CommandLine;

/** Runs {@link ReplicaCommand} on its own: {@code java -cp ... io.pbft.node.ReplicaMain --config FILE --id N}. */
public final class ReplicaMain {

    private ReplicaMain() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReplicaCommand()).execute(args));
    }
}
