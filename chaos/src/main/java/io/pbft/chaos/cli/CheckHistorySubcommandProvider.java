package io.pbft.chaos.cli;

import io.pbft.cli.SubcommandProvider;

/** Adds {@code check-history} to {@code scripts/pbft}; found through {@link java.util.ServiceLoader}. */
public final class CheckHistorySubcommandProvider implements SubcommandProvider {

    @Override
    public String name() {
        return "check-history";
    }

    @Override
    public Object command() {
        return new CheckHistoryCommand();
    }
}
