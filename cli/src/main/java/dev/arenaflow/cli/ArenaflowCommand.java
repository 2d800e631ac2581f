package dev.arenaflow.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code arenaflow} command. Each subcommand is one class listed in {@code subcommands}; it
 * reaches standard input and output through {@link #stdin()} and {@link #stdout()}, so that tests
 * can run it in-process.
 */
@Command(name = "arenaflow",
        mixinStandardHelpOptions = true,
        versionProvider = ArenaflowCommand.Version.class,
        description = "Hosts plugins over Raw Record v1 input topics in a Kafka Streams application.",
        subcommands = {
            InspectCommand.class,
            RunCommand.class,
            DemoCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            ReplayCommand.class,
            PluginsCommand.class,
            GetCommand.class,
            WatchCommand.class,
            NewPluginCommand.class,
            WhyCommand.class,
        })
public final class ArenaflowCommand implements Callable<Integer> {

    // java.util.logging keeps loggers weakly; this reference keeps the level set. Only Apicurio's
    // client and Vert.x log through it here (under bare class names), and arenaflow logs through log4j.
    private static final java.util.logging.Logger QUIETED = java.util.logging.Logger.getLogger("");

    private final InputStream stdin;
    private final PrintStream stdout;

    @Spec
    private CommandSpec spec;

    /** Creates the command over the process's standard input and output. */
    public ArenaflowCommand() {
        this(System.in, System.out);
    }

    /**
     * Creates the command over given streams, which it never closes.
     *
     * @param stdin what subcommands read, not null
     * @param stdout where subcommands write their results, not null; they write UTF-8 bytes
     */
    public ArenaflowCommand(InputStream stdin, PrintStream stdout) {
        this.stdin = stdin;
        this.stdout = stdout;
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        quietJavaUtilLogging();
        System.exit(new CommandLine(new ArenaflowCommand()).execute(args));
    }

    /** Apicurio's client warns through java.util.logging about things a user cannot change, e.g. a 2.x registry. */
    private static void quietJavaUtilLogging() {
        QUIETED.setLevel(java.util.logging.Level.SEVERE);
    }

    /** @return the input subcommands read, owned by the caller of the constructor */
    InputStream stdin() {
        return stdin;
    }

    /** @return where subcommands print their results; logging never goes here */
    PrintStream stdout() {
        return stdout;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** Reads the version from the pom.properties that Maven puts into the jar. */
    static final class Version implements IVersionProvider {

        private static final String POM_PROPERTIES = "/META-INF/maven/dev.arenaflow/arenaflow-cli/pom.properties";

        @Override
        public String[] getVersion() throws IOException {
            try (InputStream in = ArenaflowCommand.class.getResourceAsStream(POM_PROPERTIES)) {
                Properties properties = new Properties();
                if (in != null) {
                    properties.load(in);
                }
                return new String[] {"arenaflow " + properties.getProperty("version", "(development build)")};
            }
        }
    }
}
