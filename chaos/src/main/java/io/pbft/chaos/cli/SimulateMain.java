package io.pbft.chaos.cli;

import picocli.CommandLine;

/** Runs {@code simulate} without {@code scripts/pbft}: {@code java -cp ... SimulateMain --seed 12}. */
public final class SimulateMain {

    private SimulateMain() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulateCommand()).execute(args));
    }
}
