package dev.arenaflow.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContextLoaderTest {

    private final ClassLoader application = getClass().getClassLoader();
    private ClassLoader original;
    private PluginClassLoader plugin;

    @BeforeEach
    void setUp() {
        original = Thread.currentThread().getContextClassLoader();
        plugin = new PluginClassLoader(Path.of("plugin.jar"), new URL[0], application);
    }

    @AfterEach
    void tearDown() throws IOException {
        Thread.currentThread().setContextClassLoader(original);
        plugin.close();
    }

    @Test
    void shouldMakeThePluginsLoaderTheContextLoaderDuringTheCallAndRestoreItAfter() {
        try (ContextLoader swap = ContextLoader.swap(plugin)) {
            assertThat(context()).isSameAs(plugin);
        }
        assertThat(context()).isSameAs(original);
    }

    @Test
    void shouldRestoreTheContextLoaderWhenThePluginThrows() {
        assertThatThrownBy(() -> {
            try (ContextLoader swap = ContextLoader.swap(plugin)) {
                throw new IllegalStateException("plugin failed");
            }
        }).hasMessage("plugin failed");
        assertThat(context()).isSameAs(original);
    }

    @Test
    void shouldLeaveTheContextLoaderAloneForAPluginOnTheClassPath() {
        ClassLoader unusual = new ClassLoader(application) { };
        Thread.currentThread().setContextClassLoader(unusual);

        try (ContextLoader swap = ContextLoader.swap(application)) {
            assertThat(context()).isSameAs(unusual);
        }
        assertThat(context()).isSameAs(unusual);
    }

    @Test
    void shouldRestoreTheOuterLoaderAfterANestedSwap() throws IOException {
        try (PluginClassLoader other = new PluginClassLoader(Path.of("other.jar"), new URL[0], application);
             ContextLoader outer = ContextLoader.swap(plugin)) {
            try (ContextLoader inner = ContextLoader.swap(other)) {
                assertThat(context()).isSameAs(other);
            }
            assertThat(context()).isSameAs(plugin);
        }
        assertThat(context()).isSameAs(original);
    }

    private static ClassLoader context() {
        return Thread.currentThread().getContextClassLoader();
    }
}
