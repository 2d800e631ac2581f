package dev.arenaflow.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugins.session.SessionPlugin;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.schemas.SnapshotMeta;
import dev.arenaflow.topology.PluginCatalog;
import dev.arenaflow.topology.testing.TestJar;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

class PluginClassLoaderTest {

    private static final String SERVICES = "META-INF/services/" + Plugin.class.getName();

    /** Classes the test class path has, of which the plugin jar ships its own copies. */
    private static final List<Class<?>> SHARED = List.of(Plugin.class, RawRecordView.class, SnapshotMeta.class,
            Schema.class, ConfigDef.class, Logger.class);
    private static final List<Class<?>> NOT_SHARED = List.of(ObjectMapper.class, SessionPlugin.class);

    @TempDir
    Path dir;

    private Path jar;
    private PluginClassLoader loader;

    @BeforeEach
    void packagePlugin() throws IOException {
        TestJar builder = TestJar.builder().service(Plugin.class, "com.example.Own");
        for (Class<?> type : SHARED) {
            builder.source(type.getName(), emptyClass(type));
        }
        for (Class<?> type : NOT_SHARED) {
            builder.source(type.getName(), emptyClass(type));
        }
        builder.source("com.example.Own", emptyClass("com.example.Own"));
        builder.source("javax.example.Extra", emptyClass("javax.example.Extra"));
        jar = builder.writeTo(dir.resolve("plugin.jar"));
        loader = new PluginClassLoader(jar, new URL[] {jar.toUri().toURL()}, getClass().getClassLoader());
    }

    @AfterEach
    void close() throws IOException {
        loader.close();
    }

    @Test
    void shouldLoadSharedPackagesFromTheParentEvenWhenThePluginShipsThem() throws ClassNotFoundException {
        for (Class<?> type : SHARED) {
            assertThat(loader.loadClass(type.getName())).as(type.getName()).isSameAs(type);
        }
        assertThat(loader.loadClass(String.class.getName())).isSameAs(String.class);
        assertThat(loader.loadClass(javax.crypto.Cipher.class.getName())).isSameAs(javax.crypto.Cipher.class);
    }

    @Test
    void shouldLoadEverythingElseFromThePluginFirst() throws ClassNotFoundException {
        for (Class<?> type : NOT_SHARED) {
            Class<?> loaded = loader.loadClass(type.getName());
            assertThat(loaded).as(type.getName()).isNotSameAs(type);
            assertThat(loaded.getClassLoader()).as(type.getName()).isSameAs(loader);
        }
        assertThat(loader.loadClass("com.example.Own").getClassLoader()).isSameAs(loader);
    }

    @Test
    void shouldTakeFromTheParentWhatThePluginLacks() throws ClassNotFoundException {
        assertThat(loader.loadClass(PluginCatalog.class.getName())).isSameAs(PluginCatalog.class);
    }

    @Test
    void shouldTakeASharedClassTheApplicationLacksFromThePlugin() throws ClassNotFoundException {
        assertThat(loader.loadClass("javax.example.Extra").getClassLoader()).isSameAs(loader);
    }

    @Test
    void shouldFindThePluginsOwnResourcesFirst() throws IOException {
        String ownServices = "jar:" + jar.toUri().toURL() + "!/" + SERVICES;
        assertThat(getClass().getClassLoader().getResource(SERVICES)).as("the test class path has one too").isNotNull();

        assertThat(loader.getResource(SERVICES)).hasToString(ownServices);
        List<URL> all = Collections.list(loader.getResources(SERVICES));
        assertThat(all.get(0)).hasToString(ownServices);
        assertThat(all).hasSizeGreaterThan(1).doesNotHaveDuplicates();
    }

    @Test
    void shouldTreatOnlyWholePackagePrefixesAsShared() {
        assertThat(PluginClassLoader.isShared("dev.arenaflow.plugin.Plugin")).isTrue();
        assertThat(PluginClassLoader.isShared("dev.arenaflow.plugins.session.SessionPlugin")).isFalse();
        assertThat(PluginClassLoader.isShared("dev.arenaflow.topology.PluginCatalog")).isFalse();
        assertThat(PluginClassLoader.isShared("javaxx.Thing")).isFalse();
    }

    private static String emptyClass(Class<?> type) {
        return emptyClass(type.getName());
    }

    private static String emptyClass(String name) {
        int dot = name.lastIndexOf('.');
        return "package " + name.substring(0, dot) + "; public class " + name.substring(dot + 1) + " {}";
    }
}
