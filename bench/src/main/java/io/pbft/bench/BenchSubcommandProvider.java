package io.pbft.bench;

/** Adds {@code bench} to {@code scripts/pbft}. */
public final class BenchSubcommandProvider extends NamedSubcommandProvider {

    public BenchSubcommandProvider() {
        super(BenchCommand::new);
    }
}
