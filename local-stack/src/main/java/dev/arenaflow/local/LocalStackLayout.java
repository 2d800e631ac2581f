package dev.arenaflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;

/**
 * Where the build put the local servers: the broker's jars and logging config under
 * {@code local-stack/target/kafka}, and the registry's runner jar under
 * {@code local-stack/target/registry}. Versions come from {@code local-stack/pom.xml}, so jars
 * are found by pattern rather than by name.
 *
 * @param home the repository root
 * @param kafkaLibs the folder of the broker's jars, for a {@code libs/*} class path
 * @param kafkaLogConfig the broker's log4j2 configuration
 * @param registryJar the Apicurio Registry runner jar
 */
public record LocalStackLayout(Path home, Path kafkaLibs, Path kafkaLogConfig, Path registryJar) {

    /** System property holding the repository root; {@code bin/arenaflow} sets it. */
    public static final String HOME_PROPERTY = "arenaflow.home";

    private static final Path TARGET = Path.of("local-stack", "target");

    /**
     * Finds the layout from {@value #HOME_PROPERTY}, or else from the nearest folder at or above
     * the working directory that holds {@code local-stack/}.
     *
     * @throws IllegalStateException if no repository root is found or it was not built yet
     */
    public static LocalStackLayout locate() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            return at(Path.of(home));
        }
        Path cwd = Path.of("").toAbsolutePath();
        return findRootAbove(cwd).map(LocalStackLayout::at).orElseThrow(() -> new IllegalStateException(
                "Cannot find the arenaflow repository: -D" + HOME_PROPERTY + " is not set and no folder at or above "
                        + cwd + " holds local-stack/. Run from the repository, or set -D" + HOME_PROPERTY + "."));
    }

    /**
     * The layout under the repository root {@code home}.
     *
     * @throws IllegalStateException if the local stack was not built there
     */
    public static LocalStackLayout at(Path home) {
        Path root = home.toAbsolutePath().normalize();
        Path target = root.resolve(TARGET);
        Path kafka = target.resolve("kafka");
        Path libs = kafka.resolve("libs");
        find(root, libs, "kafka_2.13-*.jar");
        Path logConfig = find(root, kafka.resolve("config"), "log4j2.properties");
        Path registryJar = find(root, target.resolve("registry"), "apicurio-registry-app-*-runner.jar");
        return new LocalStackLayout(root, libs, logConfig, registryJar);
    }

    static Optional<Path> findRootAbove(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("local-stack"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    private static Path find(Path home, Path dir, String glob) {
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> matches = Files.newDirectoryStream(dir, glob)) {
                Iterator<Path> first = matches.iterator();
                if (first.hasNext()) {
                    return first.next();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("The local Kafka and registry are not built: no " + dir.resolve(glob)
                + ". Run `mvn -B install -DskipTests` in " + home + " first.");
    }
}
