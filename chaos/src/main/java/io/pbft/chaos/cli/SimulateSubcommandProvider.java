package io.pbft.chaos.cli;

import io.pbft.cli.SubcommandProvider;

/** Adds {@code simulate} to {@code scripts/pbft}; found through {@link java.util.ServiceLoader}. */
public final class SimulateSubcommandProvider implements SubcommandProvider {

    @Override
    public String name() {
        return "simulate";
    }

    @Override
    public Object command() {
        return new SimulateCommand();
    }
}
