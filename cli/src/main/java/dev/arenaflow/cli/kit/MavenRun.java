package dev.arenaflow.cli.kit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs Maven's {@code archetype:generate} from the kit repository as a child process, copying its
 * output to a writer (standard error: standard output is kept for the command's results).
 */
public final class MavenRun {

    private final String maven;
    private final Path userSettings;
    private final PrintWriter log;

    /**
     * @param maven the Maven command
     * @param userSettings passed as {@code -s}, or null for Maven's own
     * @param log where Maven's output goes
     */
    public MavenRun(String maven, Path userSettings, PrintWriter log) {
        this.maven = maven;
        this.userSettings = userSettings;
        this.log = log;
    }

    /**
     * Generates the project into {@code parent/<pluginName>}.
     *
     * @param kit the kit repository
     * @param project the project's names
     * @param version the arenaflow version
     * @param parent the directory to generate in; created if missing
     * @return Maven's exit status; 1 if it could not be started
     * @throws IOException if the settings file cannot be written
     * @throws InterruptedException if interrupted while Maven runs
     */
    public int generate(KitRepository kit, PluginProject project, String version, Path parent)
            throws IOException, InterruptedException {
        Files.createDirectories(parent);
        Path settings = Files.createTempFile("arenaflow-kit", ".xml");
        try {
            kit.writeSettings(settings);
            return run(command(settings, project, kit, version), parent);
        } finally {
            Files.deleteIfExists(settings);
        }
    }

    List<String> command(Path globalSettings, PluginProject project, KitRepository kit, String version) {
        List<String> command = new ArrayList<>(List.of(maven, "-B", "-q", "-gs", globalSettings.toString()));
        if (userSettings != null) {
            command.addAll(List.of("-s", userSettings.toAbsolutePath().normalize().toString()));
        }
        command.addAll(List.of(KitRepository.GENERATE_GOAL, "-DinteractiveMode=false",
                "-DarchetypeGroupId=" + KitRepository.GROUP_ID, "-DarchetypeArtifactId=" + KitRepository.ARCHETYPE,
                "-DarchetypeVersion=" + version));
        command.addAll(project.archetypeProperties(version, kit.url()));
        return command;
    }

    private int run(List<String> command, Path directory) throws InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            log.println("arenaflow new-plugin: cannot run " + maven + ": " + e.getMessage());
            log.flush();
            return 1;
        }
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            process.getOutputStream().close();
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                log.println(line);
            }
        } catch (IOException e) {
            log.println("arenaflow new-plugin: lost Maven's output: " + e.getMessage());
        }
        log.flush();
        return process.waitFor();
    }
}
