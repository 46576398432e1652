package io.pbft.bench;

import io.pbft.cli.SubcommandProvider;
import java.util.function.Supplier;
import picocli.CommandLine.Command;

/**
 * A {@link SubcommandProvider} of this module, named as its command's {@link Command#name()} says,
 * so that the name is written once. Each subclass is listed in
 * {@code META-INF/services/io.pbft.cli.SubcommandProvider}, where {@link java.util.ServiceLoader}
 * finds it, and only passes its command's constructor here.
 */
abstract class NamedSubcommandProvider implements SubcommandProvider {

    private final Supplier<Object> newCommand;

    NamedSubcommandProvider(Supplier<Object> newCommand) {
        this.newCommand = newCommand;
    }

    @Override
    public final String name() {
        return newCommand.get().getClass().getAnnotation(Command.class).name();
    }

    @Override
    public final Object command() {
        return newCommand.get();
    }
}
