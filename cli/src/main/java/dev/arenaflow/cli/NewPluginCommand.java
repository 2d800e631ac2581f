package dev.arenaflow.cli;

import dev.arenaflow.cli.kit.KitRepository;
import dev.arenaflow.cli.kit.MavenRun;
import dev.arenaflow.cli.kit.PluginProject;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.topology.PluginNames;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code arenaflow new-plugin NAME}: generates a plugin project from arenaflow's archetype, so nobody
 * needs to remember its coordinates, and prints the two commands that build and run it.
 */
@Command(name = "new-plugin", mixinStandardHelpOptions = true,
        description = {"Generate a plugin project from arenaflow's Maven archetype.",
            "",
            "Creates DIR/NAME with a plugin named NAME (a counting sync plugin with a ConfigDef, or with --async one "
                + "that looks each source up over HTTP), its Avro snapshot schema around SnapshotMeta, its "
                + "META-INF/services file and a PluginHarness test, by running Maven's archetype:generate against the "
                + "kit repository this checkout's build lays out (" + KitRepository.IN_CHECKOUT + "). Maven's output "
                + "goes to standard error; standard output gets the next two commands: build and test it "
                + "(mvn verify), then run it in the demo."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the project was generated",
            "1:Maven failed or could not be started (its output says why)",
            "2:bad arguments: NAME is not a valid plugin name, is reserved or built in, or DIR/NAME already exists",
            "4:no kit repository: not a source checkout, or arenaflow is not built yet (bin/arenaflow builds it)"})
public final class NewPluginCommand implements Callable<Integer> {

    /** Exit status when the kit repository is missing. */
    static final int NO_KIT = 4;

    @Spec
    CommandSpec spec;

    @ParentCommand
    ArenaflowCommand parent;

    @Parameters(index = "0", paramLabel = "NAME",
            description = "The plugin's name, as in arenaflow.plugins: 1 to 100 letters, digits, '-' or '_'; also the "
                    + "project's directory and artifactId.")
    String name;

    @Option(names = "--async", description = "Generate the async variant: an HTTP lookup returning Outcome.later.")
    boolean async;

    @Option(names = "--dir", paramLabel = "D", description = "Where to create the project's directory (default: the current directory).")
    Path dir = Path.of("");

    @Option(names = "--group-id", paramLabel = "G", description = "Maven groupId, and the start of the package (default: ${DEFAULT-VALUE}).")
    String groupId = "com.example";

    @Option(names = "--maven", paramLabel = "MVN", description = "The Maven command (default: ${DEFAULT-VALUE}, on the PATH).")
    String maven = "mvn";

    @Option(names = "--maven-settings", paramLabel = "FILE",
            description = "User settings for Maven (mvn -s FILE), e.g. another local repository; default: Maven's own.")
    Path mavenSettings;

    @Option(names = "--kit-repo", paramLabel = "DIR", hidden = true,
            defaultValue = "${sys:arenaflow.home:-.}/" + KitRepository.IN_CHECKOUT,
            description = "The kit repository (default: " + KitRepository.IN_CHECKOUT + " of the checkout).")
    Path kitRepo;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PluginProject project = project();
        Path parentDir = dir.toAbsolutePath().normalize();
        Path target = parentDir.resolve(name);
        if (Files.exists(target)) {
            throw new ParameterException(spec.commandLine(), target + " already exists; choose another NAME or --dir");
        }
        KitRepository kit = new KitRepository(kitRepo);
        if (!kit.exists()) {
            err.println("arenaflow new-plugin: no kit repository at " + kitRepo.toAbsolutePath().normalize()
                    + "; it is laid out by arenaflow's build in a source checkout (run bin/arenaflow once, or mvn verify)");
            err.flush();
            return NO_KIT;
        }
        String version = kit.version(new ArenaflowCommand.Version().getVersion()[0].replace("arenaflow ", ""));
        int status = new MavenRun(maven, mavenSettings, err).generate(kit, project, version, parentDir);
        if (status != 0 || !Files.isDirectory(target)) {
            err.println("arenaflow new-plugin: Maven's archetype:generate failed (exit " + status + ")");
            err.flush();
            return 1;
        }
        nextCommands(target).forEach(parent.stdout()::println);
        parent.stdout().flush();
        return 0;
    }

    private PluginProject project() {
        if (!PluginNames.wellFormed(name)) {
            throw new ParameterException(spec.commandLine(), "'" + name + "' is not a valid plugin name: " + PluginNames.RULE);
        }
        if (PluginNames.reserved().contains(name)) {
            throw new ParameterException(spec.commandLine(), "'" + name + "' is reserved: arenaflow's decoder goes by it "
                    + "(reserved names: " + PluginNames.reserved() + ")");
        }
        if (builtIn().contains(name)) {
            throw new ParameterException(spec.commandLine(), "'" + name + "' is a built-in plugin; two plugins of one "
                    + "name stop arenaflow at start-up (built in: " + builtIn() + ")");
        }
        try {
            return PluginProject.of(name, groupId, async);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static List<String> builtIn() {
        List<String> names = new ArrayList<>();
        ServiceLoader.load(Plugin.class, NewPluginCommand.class.getClassLoader()).stream()
                .forEach(provider -> names.add(provider.get().name()));
        return names.stream().sorted().toList();
    }

    /** Build and test it, then run it in the demo; absolute paths, so they work from any directory. */
    private List<String> nextCommands(Path target) {
        String settings = mavenSettings == null ? "" : " -s " + mavenSettings.toAbsolutePath().normalize();
        String launcher = Path.of(System.getProperty("arenaflow.home", ".")).toAbsolutePath().normalize()
                .resolve("bin/arenaflow").toString();
        String demo = launcher + " demo --plugins session," + name + " --plugin-path " + target.resolve("target/plugin");
        if (async) {
            demo += " --set 'plugin." + name + ".url.template={lookup}/sources/{source}'";
        }
        return List.of("cd " + target + " && " + maven + settings + " verify", demo);
    }
}
