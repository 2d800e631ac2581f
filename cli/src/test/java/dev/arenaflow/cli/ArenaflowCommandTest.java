package dev.arenaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArenaflowCommandTest {

    @Test
    void shouldListInspectInHelp() {
        CommandRun run = CommandRun.run("", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("Usage: arenaflow").contains("inspect");
    }

    @Test
    void shouldPrintAVersion() {
        CommandRun run = CommandRun.run("", "--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).startsWith("arenaflow ");
    }

    @Test
    void shouldFailWithUsageWithoutASubcommand() {
        CommandRun run = CommandRun.run("");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("Missing required subcommand").contains("Usage: arenaflow");
    }

    @Test
    void shouldFailWithUsageForAnUnknownSubcommand() {
        CommandRun run = CommandRun.run("", "nope");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("nope");
    }
}
