/** The plugin developer kit behind {@code arenaflow new-plugin}: naming a plugin project and generating it from the archetype. */
package dev.arenaflow.cli.kit;
