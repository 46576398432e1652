package io.pbft.cli;

/**
 * Lets a module that sits above {@code clients} in the dependency graph (the simulator, the
 * benchmarks) add a subcommand to {@code scripts/pbft}. Implementations are found with
 * {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.pbft.cli.SubcommandProvider}.
 */
public interface SubcommandProvider {

    /** The subcommand's name, as typed after {@code pbft}. */
    String name();

    /** A fresh picocli command object (a class annotated with {@code @Command}). */
    Object command();
}
