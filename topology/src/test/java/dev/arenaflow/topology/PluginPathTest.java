package dev.arenaflow.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.topology.plugins.TypedPlugin;
import dev.arenaflow.topology.testing.GreetingPlugins;
import dev.arenaflow.topology.testing.TestJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which directories {@code arenaflow.plugin.path} accepts, and how plugins found there are told apart. */
class PluginPathTest {

    private final ClassLoader application = getClass().getClassLoader();

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAMissingDirectoryNamingIt() {
        Path missing = dir.resolve("no-such-plugins");

        assertThatThrownBy(() -> PluginCatalog.load(application, List.of(dir, missing)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(ArenaflowConfig.PLUGIN_PATH).hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void shouldRefuseAFileNamingIt() throws IOException {
        Path file = Files.writeString(dir.resolve("plugins.txt"), "not a directory");

        assertThatThrownBy(() -> PluginCatalog.load(application, List.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(ArenaflowConfig.PLUGIN_PATH).hasMessageContaining(file.toString())
                .hasMessageContaining("is not a directory");
    }

    @Test
    void shouldRefuseAPluginPathWithAnEmptyEntry() {
        assertThatThrownBy(() -> new ArenaflowConfig(Map.of(ArenaflowConfig.PLUGIN_PATH, "/opt/plugins,,/srv/plugins")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ArenaflowConfig.PLUGIN_PATH);
    }

    @Test
    void shouldDefaultToNoPluginPath() {
        assertThat(new ArenaflowConfig(Map.of()).pluginPath()).isEmpty();
        assertThat(PluginCatalog.load(application, List.of()).names()).isEqualTo(PluginCatalog.load(application).names());
    }

    @Test
    void shouldFindOnePluginPerJarAndPerFolder() throws IOException {
        GreetingPlugins.pluginWithLibrary(dir.resolve("a.jar"), "plugin-a", "one");
        Path library = GreetingPlugins.library(dir.resolve("b/greeting.jar"), "two");
        GreetingPlugins.pluginBeside(dir.resolve("b/plugin.jar"), "plugin-b", library);
        Files.createDirectories(dir.resolve("empty-folder"));
        Files.writeString(dir.resolve("README.txt"), "not a plugin");

        assertThat(PluginCatalog.load(application, List.of(dir)).names())
                .contains("plugin-a", "plugin-b", "session", "typed");
    }

    @Test
    void shouldRefuseTwoPluginsOfOneNameNamingBothJars() throws IOException {
        Path first = GreetingPlugins.pluginWithLibrary(dir.resolve("first.jar"), "greeting", "one");
        Path second = GreetingPlugins.pluginWithLibrary(dir.resolve("second/greeting.jar"), "greeting", "two");

        assertThatThrownBy(() -> PluginCatalog.load(application, List.of(dir)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'greeting'").hasMessageContaining(GreetingPlugins.PLUGIN_CLASS)
                .hasMessageContaining(first.toString()).hasMessageContaining(second.toString());
    }

    @Test
    void shouldRefuseAPluginNamedLikeOneOnTheClassPathNamingBoth() throws IOException {
        Path jar = GreetingPlugins.pluginWithLibrary(dir.resolve("typed.jar"), "typed", "one");

        assertThatThrownBy(() -> PluginCatalog.load(application, List.of(dir)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'typed'")
                .hasMessageContaining(TypedPlugin.class.getName()).hasMessageContaining(TestJar.codeSource(TypedPlugin.class).toString())
                .hasMessageContaining(GreetingPlugins.PLUGIN_CLASS).hasMessageContaining(jar.toString());
    }

    @Test
    void shouldRefuseAJarWhoseManifestClassPathLeavesTheDirectory() throws IOException {
        // Without the check, the plugin would load from outside, since a class loader follows these entries.
        Path outside = GreetingPlugins.pluginWithLibrary(dir.resolve("elsewhere/plugin.jar"), "sneaky", "outside");
        for (String entry : List.of("../../elsewhere/plugin.jar", outside.toUri().toString())) {
            Path plugins = Files.createDirectories(dir.resolve("plugins-" + entry.length()));
            Path jar = TestJar.builder().service(Plugin.class, GreetingPlugins.PLUGIN_CLASS).manifestClassPath(entry)
                    .writeTo(plugins.resolve("sneaky/sneaky.jar"));

            assertThatThrownBy(() -> PluginCatalog.load(application, List.of(plugins)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(ArenaflowConfig.PLUGIN_PATH).hasMessageContaining(jar.toString())
                    .hasMessageContaining(entry);
        }
    }

    @Test
    void shouldAcceptAManifestClassPathWithinTheDirectory() throws IOException {
        Path library = GreetingPlugins.library(dir.resolve("b/lib/greeting.jar"), "two");
        GreetingPlugins.plugin("plugin-b").compiledAgainst(library).manifestClassPath("lib/greeting.jar")
                .writeTo(dir.resolve("b/plugin.jar"));

        assertThat(PluginCatalog.load(application, List.of(dir)).names()).contains("plugin-b");
    }
}
