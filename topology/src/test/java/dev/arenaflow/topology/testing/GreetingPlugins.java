package dev.arenaflow.topology.testing;

import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.schemas.EnrichedSnapshot;
import dev.arenaflow.schemas.SnapshotMeta;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Jars for plugin isolation tests, built at test time so that nothing in them is on the test class
 * path: a library {@code com.example.lib.Greeting} in any version, and a plugin
 * {@code com.example.plugin.GreetingPlugin} (the same class name in every jar) that emits an
 * {@link EnrichedSnapshot} whose attributes say what it saw:
 * <ul>
 *   <li>{@code greeting}: the answer of the {@code Greeting} it was linked against;</li>
 *   <li>{@code greetingThroughContextLoader}: the answer of the {@code Greeting} the thread's
 *       context class loader finds, or {@code not found};</li>
 *   <li>{@code configuredGreeting}: the answer of the class named in its {@code CLASS} setting
 *       {@value #CLASS_SETTING}, which Kafka resolves through the context class loader, or
 *       {@code none};</li>
 *   <li>{@code constructedInOwnLoader}, {@code openedInOwnLoader}, {@code handledInOwnLoader}:
 *       whether the context class loader was the plugin's own during each call.</li>
 * </ul>
 * On {@code close} it sets the system property {@code closedInOwnLoader.<name>} the same way.
 */
public final class GreetingPlugins {

    public static final String PLUGIN_CLASS = "com.example.plugin.GreetingPlugin";
    public static final String LIBRARY_CLASS = "com.example.lib.Greeting";
    public static final String CLASS_SETTING = "greeting.class";

    private GreetingPlugins() {
    }

    /** Writes a jar holding only the library, whose {@code answer()} returns {@code answer}. */
    public static Path library(Path jar, String answer) throws IOException {
        return TestJar.builder().source(LIBRARY_CLASS, librarySource(answer)).writeTo(jar);
    }

    /** Writes a plugin jar with the library inside it, as one file. */
    public static Path pluginWithLibrary(Path jar, String name, String answer) throws IOException {
        return plugin(name).source(LIBRARY_CLASS, librarySource(answer)).writeTo(jar);
    }

    /** Writes a plugin jar without the library, compiled against the library jar that ships beside it. */
    public static Path pluginBeside(Path jar, String name, Path library) throws IOException {
        return plugin(name).compiledAgainst(library).writeTo(jar);
    }

    /** @return a builder of a plugin jar without the library; add it, or compile against it */
    public static TestJar plugin(String name) {
        return TestJar.builder()
                .source(PLUGIN_CLASS, pluginSource(name))
                .service(Plugin.class, PLUGIN_CLASS)
                .compiledAgainst(Plugin.class, SnapshotMeta.class, EnrichedSnapshot.class, SpecificRecordBase.class,
                        ConfigDef.class);
    }

    private static String librarySource(String answer) {
        return """
                package com.example.lib;

                public final class Greeting {
                    public static String answer() {
                        return "%s";
                    }
                }
                """.formatted(answer);
    }

    private static String pluginSource(String name) {
        return """
                package com.example.plugin;

                import com.example.lib.Greeting;
                import dev.arenaflow.plugin.MessageContext;
                import dev.arenaflow.plugin.Outcome;
                import dev.arenaflow.plugin.Plugin;
                import dev.arenaflow.plugin.PluginContext;
                import dev.arenaflow.record.RawRecordView;
                import dev.arenaflow.schemas.EnrichedSnapshot;
                import java.util.Map;
                import org.apache.kafka.common.config.ConfigDef;

                public final class GreetingPlugin implements Plugin {
                    private final boolean constructedInOwnLoader = ownContextLoader();
                    private boolean openedInOwnLoader;
                    private Class<?> configured;

                    @Override public String name() { return "%s"; }

                    @Override
                    public ConfigDef configDef() {
                        return new ConfigDef().define("greeting.class", ConfigDef.Type.CLASS, null,
                                ConfigDef.Importance.LOW, "A class with a static answer().");
                    }

                    @Override
                    public void open(PluginContext context) {
                        openedInOwnLoader = ownContextLoader();
                        configured = context.config().getClass("greeting.class");
                    }

                    @Override
                    public Outcome handle(RawRecordView view, MessageContext message) {
                        return Outcome.emit(EnrichedSnapshot.newBuilder().setMeta(message.newMeta())
                                .setPayloadBytes(view.payloadLength()).setLookupMillis(0)
                                .setAttributes(Map.of(
                                        "greeting", Greeting.answer(),
                                        "greetingThroughContextLoader", throughContextLoader(),
                                        "configuredGreeting", configured == null ? "none" : answerOf(configured),
                                        "constructedInOwnLoader", String.valueOf(constructedInOwnLoader),
                                        "openedInOwnLoader", String.valueOf(openedInOwnLoader),
                                        "handledInOwnLoader", String.valueOf(ownContextLoader())))
                                .build());
                    }

                    @Override
                    public void close() {
                        System.setProperty("closedInOwnLoader." + name(), String.valueOf(ownContextLoader()));
                    }

                    private boolean ownContextLoader() {
                        return Thread.currentThread().getContextClassLoader() == getClass().getClassLoader();
                    }

                    private static String throughContextLoader() {
                        try {
                            return answerOf(Class.forName("com.example.lib.Greeting", true,
                                    Thread.currentThread().getContextClassLoader()));
                        } catch (ClassNotFoundException e) {
                            return "not found";
                        }
                    }

                    private static String answerOf(Class<?> greeting) {
                        try {
                            return (String) greeting.getMethod("answer").invoke(null);
                        } catch (ReflectiveOperationException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
                """.formatted(name);
    }
}
