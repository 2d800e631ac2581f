package dev.arenaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.cli.kit.KitRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code new-plugin} against a stand-in for Maven: a script that records its arguments and the
 * settings file it was given, and creates the project directory as archetype:generate would.
 */
class NewPluginCommandTest {

    @TempDir
    Path temp;

    @Test
    void shouldGenerateFromTheKitRepositoryAndPrintTheNextTwoCommands() throws IOException {
        Path kit = kitRepository("0.1.0-SNAPSHOT");

        CommandRun run = newPlugin(kit, fakeMaven(0), "geo-ip", "--async", "--group-id", "org.acme");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(Files.readAllLines(temp.resolve("args"))).contains("-B", "-gs", KitRepository.GENERATE_GOAL,
                "-DinteractiveMode=false", "-DarchetypeGroupId=dev.arenaflow",
                "-DarchetypeArtifactId=arenaflow-plugin-archetype", "-DarchetypeVersion=0.1.0-SNAPSHOT",
                "-DpluginName=geo-ip", "-DclassPrefix=GeoIp", "-Dpackage=org.acme.geo_ip", "-Dasync=true",
                "-DarenaflowRepository=" + kit.toUri());
        assertThat(Files.readString(temp.resolve("settings"))).contains("<url>" + kit.toUri() + "</url>");
        Path project = temp.resolve("out/geo-ip");
        assertThat(project).isDirectory();
        assertThat(run.lines()).hasSize(2);
        assertThat(run.lines().get(0)).isEqualTo("cd " + project + " && " + temp.resolve("mvn") + " verify");
        assertThat(run.lines().get(1)).endsWith("bin/arenaflow demo --plugins session,geo-ip --plugin-path "
                + project.resolve("target/plugin") + " --set 'plugin.geo-ip.url.template={lookup}/sources/{source}'");
    }

    @Test
    void shouldRejectANameThatCannotNameTopicsWithExitTwo() throws IOException {
        CommandRun run = newPlugin(kitRepository("1.0"), fakeMaven(0), "geo.ip");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("'geo.ip' is not a valid plugin name: a name is 1 to 100 letters, digits, '-' or '_'");
        assertThat(temp.resolve("args")).doesNotExist();
    }

    @Test
    void shouldRejectReservedAndBuiltInNames() throws IOException {
        Path kit = kitRepository("1.0");

        assertThat(newPlugin(kit, fakeMaven(0), "decode").stderr()).contains("'decode' is reserved");
        CommandRun session = newPlugin(kit, fakeMaven(0), "session");
        assertThat(session.exitCode()).isEqualTo(2);
        assertThat(session.stderr()).contains("'session' is a built-in plugin").containsPattern("built in: \\[enrich, .*session");
    }

    @Test
    void shouldRefuseToOverwriteAnExistingDirectory() throws IOException {
        Files.createDirectories(temp.resolve("out/geo"));

        CommandRun run = newPlugin(kitRepository("1.0"), fakeMaven(0), "geo");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains(temp.resolve("out/geo") + " already exists");
    }

    @Test
    void shouldExitFourWithoutAKitRepository() throws IOException {
        CommandRun run = newPlugin(temp.resolve("no-kit"), fakeMaven(0), "geo");

        assertThat(run.exitCode()).isEqualTo(NewPluginCommand.NO_KIT);
        assertThat(run.stderr()).contains("no kit repository at " + temp.resolve("no-kit"));
    }

    @Test
    void shouldExitOneAndPrintNothingWhenMavenFails() throws IOException {
        CommandRun run = newPlugin(kitRepository("1.0"), fakeMaven(3), "geo");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("archetype:generate failed (exit 3)");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void shouldBeListedInArenaflowHelpAndDocumentItsExitCodes() {
        assertThat(CommandRun.run("", "--help").stdout()).containsPattern("new-plugin +Generate a plugin project");
        CommandRun help = CommandRun.run("", "new-plugin", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("Usage: arenaflow new-plugin").contains("--async").contains("--dir=D")
                .containsPattern("2 +bad arguments").containsPattern("4 +no kit repository");
    }

    private CommandRun newPlugin(Path kit, Path maven, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("new-plugin", "--kit-repo", kit.toString(),
                "--maven", maven.toString(), "--dir", temp.resolve("out").toString()));
        all.addAll(List.of(args));
        return CommandRun.run("", all.toArray(String[]::new));
    }

    private Path kitRepository(String version) throws IOException {
        Path kit = temp.resolve("kit");
        Files.createDirectories(kit.resolve("dev/arenaflow/arenaflow-plugin-archetype").resolve(version));
        return kit;
    }

    /** Records its arguments and the -gs file; on success creates the -DartifactId directory, as Maven would. */
    private Path fakeMaven(int exit) throws IOException {
        Path script = temp.resolve("mvn");
        Files.writeString(script, """
                #!/bin/sh
                printf '%%s\\n' "$@" > "%1$s/args"
                while [ $# -gt 0 ]; do
                  case "$1" in
                    -gs) cp "$2" "%1$s/settings"; shift ;;
                    -DartifactId=*) [ %2$d -eq 0 ] && mkdir "${1#-DartifactId=}" ;;
                  esac
                  shift
                done
                exit %2$d
                """.formatted(temp, exit));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
