package io.pbft.bench;

/** Adds {@code bench-catchup} to {@code scripts/pbft}. */
public final class CatchUpSubcommandProvider extends NamedSubcommandProvider {

    public CatchUpSubcommandProvider() {
        super(CatchUpCommand::new);
    }
}
