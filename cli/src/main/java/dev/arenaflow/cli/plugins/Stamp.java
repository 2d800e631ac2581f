package dev.arenaflow.cli.plugins;

/**
 * Who changes a control record, when, and why.
 *
 * @param by an operator, e.g. {@code alice@ops-1}
 * @param atMs epoch milliseconds
 * @param reason why, or null if none was given
 */
public record Stamp(String by, long atMs, String reason) {
}
