package dev.arenaflow.cli.kit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.lang.model.SourceVersion;

/**
 * The Java names of a new plugin project, derived from the plugin's name: {@code geo-ip} in group
 * {@code com.example} becomes package {@code com.example.geo_ip} with classes {@code GeoIpPlugin} and
 * {@code GeoIpSnapshot}. The plugin name itself is checked by the caller, against arenaflow's rules.
 *
 * @param pluginName the plugin's name, letters, digits, {@code -} and {@code _}
 * @param groupId the Maven group id, a Java package name
 * @param packageName the plugin's package
 * @param classPrefix what the plugin's and its snapshot's class names start with
 * @param async whether it is the async HTTP variant
 */
public record PluginProject(String pluginName, String groupId, String packageName, String classPrefix, boolean async) {

    /** The first version of a generated project. */
    static final String VERSION = "0.1.0-SNAPSHOT";

    /**
     * @param pluginName a well-formed plugin name
     * @param groupId a Java package name
     * @param async whether to make the async variant
     * @return the project's names
     * @throws IllegalArgumentException if the group id is not a Java package name
     */
    public static PluginProject of(String pluginName, String groupId, boolean async) {
        if (!SourceVersion.isName(groupId)) {
            throw new IllegalArgumentException("--group-id '" + groupId + "' is not a Java package name (e.g. com.example)");
        }
        return new PluginProject(pluginName, groupId, groupId + "." + packageSegment(pluginName), classPrefix(pluginName),
                async);
    }

    /** {@code geo-ip} → {@code geo_ip}; a leading digit or a Java keyword gets a {@code p} or a {@code _}. */
    static String packageSegment(String pluginName) {
        String segment = pluginName.toLowerCase(Locale.ROOT).replace('-', '_');
        segment = Character.isDigit(segment.charAt(0)) ? "p" + segment : segment;
        return SourceVersion.isKeyword(segment) ? segment + "_" : segment;
    }

    /** {@code geo-ip} → {@code GeoIp}; {@code 7up} → {@code P7up}, since a class name cannot start with a digit. */
    static String classPrefix(String pluginName) {
        StringBuilder prefix = new StringBuilder();
        for (String part : pluginName.split("[-_]")) {
            if (!part.isEmpty()) {
                prefix.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        if (prefix.length() == 0 || Character.isDigit(prefix.charAt(0))) {
            prefix.insert(0, 'P');
        }
        return prefix.toString();
    }

    /**
     * The {@code -D} properties of {@code archetype:generate} for this project.
     *
     * @param arenaflowVersion the arenaflow version the project compiles against
     * @param repository the URL of the repository that holds it
     * @return the properties, in a stable order
     */
    public List<String> archetypeProperties(String arenaflowVersion, String repository) {
        List<String> properties = new ArrayList<>();
        properties.add("-DgroupId=" + groupId);
        properties.add("-DartifactId=" + pluginName);
        properties.add("-Dversion=" + VERSION);
        properties.add("-Dpackage=" + packageName);
        properties.add("-DpluginName=" + pluginName);
        properties.add("-DclassPrefix=" + classPrefix);
        properties.add("-Dasync=" + async);
        properties.add("-DarenaflowVersion=" + arenaflowVersion);
        properties.add("-DarenaflowRepository=" + repository);
        return properties;
    }
}
