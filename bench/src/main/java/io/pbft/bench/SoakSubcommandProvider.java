package io.pbft.bench;

/** Adds {@code bench-soak} to {@code scripts/pbft}. */
public final class SoakSubcommandProvider extends NamedSubcommandProvider {

    public SoakSubcommandProvider() {
        super(SoakCommand::new);
    }
}
