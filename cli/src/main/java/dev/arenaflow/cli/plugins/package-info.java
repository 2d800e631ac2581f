/**
 * What {@code arenaflow plugins} does behind its command line: reads the control and status
 * topics to their end, shows each plugin's wanted and applied state, checks a change of a
 * plugin's state or setting overrides, and writes it as a control record.
 */
package dev.arenaflow.cli.plugins;
