package dev.arenaflow.cli.config;

import dev.arenaflow.topology.ArenaflowSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads settings from a properties file, then lets environment variables override them.
 *
 * <p>A variable {@code ARENAFLOW_<NAME>} sets the key made from NAME in lower case, where one
 * {@code _} stands for {@code .}, two for {@code _} and three for {@code -}:
 * {@code ARENAFLOW_BOOTSTRAP_SERVERS} sets {@code bootstrap.servers},
 * {@code ARENAFLOW_ARENAFLOW_PLUGINS} sets {@code arenaflow.plugins}, and
 * {@code ARENAFLOW_PLUGIN_ENRICH_URL_TEMPLATE} sets {@code plugin.enrich.url.template}.
 */
public final class SettingsSource {

    /** Prefix of the environment variables that override settings. */
    public static final String ENV_PREFIX = "ARENAFLOW_";
    private static final Pattern UNDERSCORES = Pattern.compile("_{1,3}");
    /** The launcher's own variables (bin/arenaflow), not settings. */
    public static final java.util.Set<String> LAUNCHER_VARIABLES = java.util.Set.of("ARENAFLOW_JAVA_OPTS",
            "ARENAFLOW_NO_BUILD");

    private SettingsSource() {
    }

    /**
     * @param file a properties file (UTF-8), or null for none
     * @param environment the process environment
     * @return the file's settings with the environment's overrides applied
     * @throws ConfigException if the file cannot be read
     */
    public static Properties load(Path file, Map<String, String> environment) {
        Properties settings = file == null ? new Properties() : read(file);
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()
                    && !LAUNCHER_VARIABLES.contains(name)) {
                settings.setProperty(keyOf(name), value);
            }
        });
        return settings;
    }

    /**
     * Loads and validates the settings of a running arenaflow, as {@code run} and every command
     * that must agree with it on topic names and plugin limits do.
     *
     * @param file a properties file (UTF-8), or null for none
     * @param environment the process environment
     * @param plugins the application's class loader: plugins are found there and in {@code arenaflow.plugin.path}
     * @return the validated settings
     * @throws ConfigException naming the file, or the key that is unknown, bad or missing
     */
    public static ArenaflowSettings validated(Path file, Map<String, String> environment, ClassLoader plugins) {
        return ArenaflowSettings.validate(load(file, environment), plugins);
    }

    /**
     * @param variable an environment variable name starting with {@link #ENV_PREFIX}
     * @return the setting it overrides
     */
    public static String keyOf(String variable) {
        Matcher m = UNDERSCORES.matcher(variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT));
        StringBuilder key = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(key, switch (m.group().length()) {
                case 1 -> ".";
                case 2 -> "_";
                default -> "-";
            });
        }
        return m.appendTail(key).toString();
    }

    private static Properties read(Path file) {
        Properties settings = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            settings.load(reader);
            return settings;
        } catch (NoSuchFileException e) {
            throw new ConfigException("Configuration file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("Configuration file " + file + " cannot be read: " + e.getMessage());
        }
    }
}
