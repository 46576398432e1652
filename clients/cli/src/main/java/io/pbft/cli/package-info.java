/**
 * The command-line tool {@code scripts/pbft} (picocli): {@code keygen}, the client commands
 * ({@code put}, {@code get}, {@code cas}, {@code delete}, {@code txn}, {@code workload},
 * {@code status}), and the hook ({@link io.pbft.cli.SubcommandProvider}) through which
 * {@code replica}, {@code simulate} and {@code bench} join it. Output goes to the command's
 * writers ({@code spec.commandLine().getOut()}), so tests capture it; nothing here decides
 * protocol matters.
 */
package io.pbft.cli;
