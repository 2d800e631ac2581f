package dev.arenaflow.cli.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Maven repository that arenaflow's build lays out in {@code plugins/archetype/target/kit-repo}:
 * the plugin archetype and the artifacts a generated project compiles against (the plugin API, the
 * snapshot-meta schema, their parent pom). arenaflow is not on Maven Central, so a generated project
 * names this repository in its pom, and {@code archetype:generate} finds the archetype through a
 * settings file that adds it.
 *
 * @param root the repository's directory
 */
public record KitRepository(Path root) {

    /** Where the build puts it, under a source checkout. */
    public static final String IN_CHECKOUT = "plugins/archetype/target/kit-repo";
    /** The archetype's coordinates. */
    public static final String GROUP_ID = "dev.arenaflow";
    public static final String ARCHETYPE = "arenaflow-plugin-archetype";
    /** The archetype plugin that generates from it; pinned so generation is repeatable. */
    public static final String GENERATE_GOAL = "org.apache.maven.plugins:maven-archetype-plugin:3.4.1:generate";

    /** @return whether the build has laid it out, with the archetype in it */
    public boolean exists() {
        return Files.isDirectory(archetypeDirectory());
    }

    /**
     * The arenaflow version to generate against: {@code preferred} when the repository holds it, else
     * the only version it holds.
     *
     * @param preferred the running arenaflow's version, or null when unknown
     * @return the version
     * @throws IOException if the repository cannot be read
     * @throws IllegalStateException if it holds no version, or several and not {@code preferred}
     */
    public String version(String preferred) throws IOException {
        List<String> versions;
        try (Stream<Path> children = Files.list(archetypeDirectory())) {
            versions = children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
        if (preferred != null && versions.contains(preferred)) {
            return preferred;
        }
        if (versions.size() != 1) {
            throw new IllegalStateException("cannot tell which arenaflow version to use: " + archetypeDirectory()
                    + " holds " + versions + "; rebuild arenaflow (mvn clean verify)");
        }
        return versions.get(0);
    }

    /** @return the repository's URL, for a pom's {@code <repository>} */
    public String url() {
        return root.toAbsolutePath().normalize().toUri().toString();
    }

    /**
     * Writes a Maven settings file that adds this repository, for {@code mvn -gs}: passed as the global
     * settings, it leaves the user's own {@code ~/.m2/settings.xml} in force.
     *
     * @param file where to write it
     * @throws IOException if it cannot be written
     */
    public void writeSettings(Path file) throws IOException {
        Files.writeString(file, """
                <settings>
                  <profiles>
                    <profile>
                      <id>arenaflow-kit</id>
                      <repositories>
                        <repository>
                          <id>arenaflow-kit</id>
                          <url>{url}</url>
                          <snapshots><updatePolicy>always</updatePolicy></snapshots>
                        </repository>
                      </repositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>arenaflow-kit</activeProfile></activeProfiles>
                </settings>
                """.replace("{url}", url().replace("&", "&amp;")), StandardCharsets.UTF_8);
    }

    private Path archetypeDirectory() {
        return root.resolve(GROUP_ID.replace('.', '/')).resolve(ARCHETYPE);
    }
}
