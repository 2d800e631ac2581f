package dev.arenaflow.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.schemas.EnrichedSnapshot;
import dev.arenaflow.topology.testing.ArenaflowDriver;
import dev.arenaflow.topology.testing.GreetingPlugins;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two plugins that ship conflicting versions of one library run side by side in one topology,
 * each seeing its own version, while the application itself has a third.
 */
class PluginIsolationTest {

    private static final int ANY_TYPE = 7;

    @TempDir
    Path dir;

    private Path pluginDir;
    private URLClassLoader application;

    @BeforeEach
    void packagePlugins() throws IOException {
        pluginDir = dir.resolve("plugins");
        // plugin-a: one jar holding the plugin and version one of the library.
        GreetingPlugins.pluginWithLibrary(pluginDir.resolve("plugin-a.jar"), "plugin-a", "one");
        // plugin-b: a folder holding the plugin's jar and version two of the library beside it.
        Path libraryTwo = GreetingPlugins.library(pluginDir.resolve("plugin-b/greeting-2.0.jar"), "two");
        GreetingPlugins.pluginBeside(pluginDir.resolve("plugin-b/plugin-b.jar"), "plugin-b", libraryTwo);
        // The application's own copy, which child-first loading must not let into the plugins.
        Path libraryOfApplication = GreetingPlugins.library(dir.resolve("app/greeting-0.9.jar"), "application");
        application = new URLClassLoader(new URL[] {libraryOfApplication.toUri().toURL()}, getClass().getClassLoader());
        System.clearProperty("closedInOwnLoader.plugin-a");
        System.clearProperty("closedInOwnLoader.plugin-b");
    }

    @AfterEach
    void closeApplication() throws IOException {
        application.close();
    }

    @Test
    void shouldRunTwoPluginsWithConflictingLibraryVersionsSideBySide() throws Exception {
        assertThat(application.loadClass(GreetingPlugins.LIBRARY_CLASS).getMethod("answer").invoke(null))
                .as("the application's own version").isEqualTo("application");
        PluginCatalog catalog = PluginCatalog.load(application, List.of(pluginDir));
        ClassLoader contextBefore = Thread.currentThread().getContextClassLoader();

        try (ArenaflowDriver driver = new ArenaflowDriver(Map.of(ArenaflowConfig.PLUGINS, "plugin-a,plugin-b"), catalog)) {
            driver.send("dev-1", 1, ANY_TYPE, (byte) 1, (byte) 2);

            EnrichedSnapshot a = single(driver.snapshotsOf("plugin-a"));
            EnrichedSnapshot b = single(driver.snapshotsOf("plugin-b"));
            assertThat(a.getMeta().getInputOffset()).isEqualTo(b.getMeta().getInputOffset()).isZero();
            assertThat(a.getAttributes()).containsEntry("greeting", "one");
            assertThat(b.getAttributes()).containsEntry("greeting", "two");
            assertThat(Thread.currentThread().getContextClassLoader())
                    .as("the stream thread's context loader, once the plugins returned").isSameAs(contextBefore);
        }
    }

    @Test
    void shouldCallEachPluginWithItsOwnLoaderAsTheContextLoader() {
        PluginCatalog catalog = PluginCatalog.load(application, List.of(pluginDir));

        try (ArenaflowDriver driver = new ArenaflowDriver(Map.of(ArenaflowConfig.PLUGINS, "plugin-a,plugin-b"), catalog)) {
            driver.send("dev-1", 1, ANY_TYPE, (byte) 1);

            for (String plugin : List.of("plugin-a", "plugin-b")) {
                EnrichedSnapshot snapshot = single(driver.<EnrichedSnapshot>snapshotsOf(plugin));
                assertThat(snapshot.getAttributes()).as(plugin)
                        .containsEntry("constructedInOwnLoader", "true")
                        .containsEntry("openedInOwnLoader", "true")
                        .containsEntry("handledInOwnLoader", "true")
                        .containsEntry("greetingThroughContextLoader", snapshot.getAttributes().get("greeting"));
            }
        }
        assertThat(System.getProperty("closedInOwnLoader.plugin-a")).isEqualTo("true");
        assertThat(System.getProperty("closedInOwnLoader.plugin-b")).isEqualTo("true");
    }

    @Test
    void shouldFindPluginsOfThePluginPathSetInTheSettings() {
        try (ArenaflowDriver driver = new ArenaflowDriver(Map.of(ArenaflowConfig.PLUGINS, "plugin-a,session",
                ArenaflowConfig.PLUGIN_PATH, pluginDir.toString()))) {
            driver.send("dev-1", 1, ANY_TYPE, (byte) 1);

            assertThat(single(driver.<EnrichedSnapshot>snapshotsOf("plugin-a")).getAttributes())
                    .containsEntry("greeting", "one");
            assertThat(driver.snapshots("session")).hasSize(1);
        }
    }

    @Test
    void shouldResolveClassSettingsThroughThePluginsOwnLoaderAtStartAndAtRuntime() {
        PluginCatalog catalog = PluginCatalog.load(application, List.of(pluginDir));
        Map<String, String> settings = Map.of(ArenaflowConfig.PLUGINS, "plugin-a,plugin-b",
                "plugin.plugin-a." + GreetingPlugins.CLASS_SETTING, GreetingPlugins.LIBRARY_CLASS);

        try (ArenaflowDriver driver = new ArenaflowDriver(settings, catalog)) {
            driver.send("dev-1", 1, ANY_TYPE, (byte) 1);
            assertThat(configuredGreeting(driver, "plugin-a")).isEqualTo("one");
            assertThat(configuredGreeting(driver, "plugin-b")).isEqualTo("none");

            driver.control("plugin-b", "{\"state\":\"enabled\",\"config\":{\"" + GreetingPlugins.CLASS_SETTING
                    + "\":\"" + GreetingPlugins.LIBRARY_CLASS + "\"}}");
            driver.advance(Duration.ofMillis(50));
            assertThat(System.getProperty("closedInOwnLoader.plugin-b")).as("replaced instance closed").isEqualTo("true");
            driver.send("dev-1", 2, ANY_TYPE, (byte) 1);

            assertThat(configuredGreeting(driver, "plugin-b")).isEqualTo("two");
        }
    }

    private static String configuredGreeting(ArenaflowDriver driver, String plugin) {
        return single(driver.<EnrichedSnapshot>snapshotsOf(plugin)).getAttributes().get("configuredGreeting");
    }

    private static <T> T single(List<T> snapshots) {
        assertThat(snapshots).hasSize(1);
        return snapshots.get(0);
    }
}
