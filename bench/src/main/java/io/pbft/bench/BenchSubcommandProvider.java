package io.pbft.bench;

import io.pbft.cli.SubcommandProvider;

/** Adds {@code bench} to {@code scripts/pbft}; found through {@link java.util.ServiceLoader}. */
public final class BenchSubcommandProvider implements SubcommandProvider {

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public Object command() {
        return new BenchCommand();
    }
}
