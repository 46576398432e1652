package io.pbft.bench;

/** Adds {@code bench-failover} to {@code scripts/pbft}. */
public final class FailoverSubcommandProvider extends NamedSubcommandProvider {

    public FailoverSubcommandProvider() {
        super(FailoverCommand::new);
    }
}
