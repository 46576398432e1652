package io.pbft.bench;

/** Adds {@code bench-fairness} to {@code scripts/pbft}. */
public final class FairnessSubcommandProvider extends NamedSubcommandProvider {

    public FairnessSubcommandProvider() {
        super(FairnessCommand::new);
    }
}
