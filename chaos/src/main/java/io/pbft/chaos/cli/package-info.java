/**
 * The {@code simulate} and {@code check-history} subcommands of {@code scripts/pbft}, registered
 * through {@link io.pbft.cli.SubcommandProvider}. {@code simulate} runs ranges of seeds, replays
 * one seed with a detailed report, and prints the replay command of every failing seed;
 * {@code check-history} checks a live cluster's recorded history for linearizability. The only
 * code in this module that prints to the console or reads the wall clock (to report seeds per
 * second).
 */
package io.pbft.chaos.cli;
