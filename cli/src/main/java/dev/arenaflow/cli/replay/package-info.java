/**
 * {@code arenaflow replay}: puts a plugin's dead letters back into processing by copying them
 * into its shortest retry topic, with headers that make the running application handle them
 * again at once as a first attempt.
 */
package dev.arenaflow.cli.replay;
