package dev.arenaflow.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsSourceTest {

    @TempDir
    Path dir;

    @Test
    void shouldMapEnvironmentVariableNamesToKeys() {
        assertThat(SettingsSource.keyOf("ARENAFLOW_BOOTSTRAP_SERVERS")).isEqualTo("bootstrap.servers");
        assertThat(SettingsSource.keyOf("ARENAFLOW_ARENAFLOW_PLUGINS")).isEqualTo("arenaflow.plugins");
        assertThat(SettingsSource.keyOf("ARENAFLOW_PLUGIN_MY__PLUGIN_URL___TEMPLATE"))
                .isEqualTo("plugin.my_plugin.url-template");
    }

    @Test
    void shouldLetEnvironmentOverrideFileAndIgnoreOtherVariables() throws IOException {
        Path file = dir.resolve("a.properties");
        Files.writeString(file, "bootstrap.servers=file:9092\napplication.id=app\n");

        Properties settings = SettingsSource.load(file, Map.of("ARENAFLOW_BOOTSTRAP_SERVERS", "env:9092",
                "HOME", "/root", "ARENAFLOW_", "ignored", "ARENAFLOW_JAVA_OPTS", "-Xmx256m", "ARENAFLOW_NO_BUILD", "1"));

        assertThat(settings).containsEntry("bootstrap.servers", "env:9092").containsEntry("application.id", "app")
                .hasSize(2);
    }
}
