package io.pbft.chaos.cli;

import io.pbft.cli.SubcommandProvider;

/** Adds {@code chaos} to {@code scripts/pbft}; found through {@link java.util.ServiceLoader}. */
public final class ChaosSubcommandProvider implements SubcommandProvider {

    @Override
    public String name() {
        return "chaos";
    }

    @Override
    public Object command() {
        return new ChaosCommand();
    }
}
