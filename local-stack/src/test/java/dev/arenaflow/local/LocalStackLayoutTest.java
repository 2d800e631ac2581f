package dev.arenaflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackLayoutTest {

    @TempDir
    Path home;

    @Test
    void shouldFindJarsByPatternUnderLocalStackTarget() throws IOException {
        build(home);

        LocalStackLayout layout = LocalStackLayout.at(home);

        Path target = home.resolve("local-stack/target");
        assertThat(layout.kafkaLibs()).isEqualTo(target.resolve("kafka/libs"));
        assertThat(layout.kafkaLogConfig()).isEqualTo(target.resolve("kafka/config/log4j2.properties"));
        assertThat(layout.registryJar()).isEqualTo(target.resolve("registry/apicurio-registry-app-9.9.9-runner.jar"));
    }

    @Test
    void shouldTellToBuildFirstWhenNotBuilt() throws IOException {
        Files.createDirectories(home.resolve("local-stack"));

        assertThatThrownBy(() -> LocalStackLayout.at(home))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kafka_2.13-*.jar")
                .hasMessageContaining("Run `mvn -B install -DskipTests` in " + home.toAbsolutePath());
    }

    @Test
    void shouldTellWhichPieceIsMissing() throws IOException {
        build(home);
        Files.delete(home.resolve("local-stack/target/registry/apicurio-registry-app-9.9.9-runner.jar"));

        assertThatThrownBy(() -> LocalStackLayout.at(home)).hasMessageContaining("apicurio-registry-app-*-runner.jar");
    }

    @Test
    void shouldFindRepositoryRootAboveAModuleFolder() throws IOException {
        Path module = Files.createDirectories(home.resolve("cli/src"));
        Files.createDirectories(home.resolve("local-stack"));

        assertThat(LocalStackLayout.findRootAbove(module)).contains(home);
    }

    @Test
    void shouldPreferTheHomeProperty() throws IOException {
        build(home);
        String before = System.getProperty(LocalStackLayout.HOME_PROPERTY);
        System.setProperty(LocalStackLayout.HOME_PROPERTY, home.toString());
        try {
            assertThat(LocalStackLayout.locate().home()).isEqualTo(home.toAbsolutePath());
        } finally {
            restore(before);
        }
    }

    private static void restore(String before) {
        if (before == null) {
            System.clearProperty(LocalStackLayout.HOME_PROPERTY);
        } else {
            System.setProperty(LocalStackLayout.HOME_PROPERTY, before);
        }
    }

    private static void build(Path home) throws IOException {
        Path target = home.resolve("local-stack/target");
        touch(target.resolve("kafka/libs/kafka_2.13-9.9.9.jar"));
        touch(target.resolve("kafka/config/log4j2.properties"));
        touch(target.resolve("registry/apicurio-registry-app-9.9.9-runner.jar"));
    }

    private static void touch(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.createFile(file);
    }
}
