package dev.arenaflow.cli;

import dev.arenaflow.cli.io.KafkaSecurityFailure;
import dev.arenaflow.cli.plugins.CommandFailure;
import dev.arenaflow.cli.plugins.ControlChange;
import dev.arenaflow.cli.plugins.ControlTopic;
import dev.arenaflow.cli.plugins.OverrideArguments;
import dev.arenaflow.cli.plugins.OverrideCheck;
import dev.arenaflow.cli.plugins.PluginClientConfigs;
import dev.arenaflow.cli.plugins.PluginsContext;
import dev.arenaflow.cli.plugins.PluginsList;
import dev.arenaflow.cli.plugins.PluginsSettings;
import dev.arenaflow.cli.plugins.Stamp;
import dev.arenaflow.cli.plugins.WrittenControl;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.control.PluginControl.State;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code arenaflow plugins}: shows and steers plugins of running applications through the control
 * topic, and shows what their tasks report on the status topic. Each subcommand is a method; the
 * work is done in {@code dev.arenaflow.cli.plugins}.
 */
@Command(name = "plugins",
        mixinStandardHelpOptions = true,
        versionProvider = ArenaflowCommand.Version.class,
        sortOptions = false,
        description = {
            "Shows and changes plugins of running applications at runtime, through the control topic.",
            "",
            "Without a subcommand it runs 'list'. Settings are read exactly as 'run' reads them (--config, then "
                    + "ARENAFLOW_* environment variables) and validated the same way; the command uses their "
                    + "client settings (the global.consumer., producer. and admin. overrides included) and the "
                    + "topic names " + ArenaflowConfig.CONTROL_TOPIC + " and " + ArenaflowConfig.STATUS_TOPIC + ".",
            "A change is one record of the compacted control topic, keyed by the plugin's name; running instances "
                    + "apply it within seconds and report what they applied on the status topic. The control "
                    + "topic is created (compacted, 1 partition) if it is missing."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  bin/arenaflow plugins -c app.properties",
            "  bin/arenaflow plugins pause enrich -c app.properties --reason 'upgrade'",
            "  bin/arenaflow plugins set enrich request.timeout.ms=5000 -c app.properties",
            "  bin/arenaflow plugins resume enrich -c app.properties",
            "  bin/arenaflow plugins reset enrich -c app.properties"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done, or nothing had to change",
            "1:Kafka failed, or the plugin's control record is unreadable",
            "2:invalid arguments or settings, an unknown plugin or setting, or a refused value",
            "3:the broker refused the login or its TLS certificate is not trusted (sasl.jaas.config, "
                + "ssl.truststore.location)"
        })
final class PluginsCommand implements Callable<Integer> {

    private static final String NAME_LABEL = "NAME";
    private static final String NAME_HELP = "A plugin on the class path.";

    private final PluginsContext context;
    private String bootstrapServers;

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private ArenaflowCommand parent;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Properties file of the application's settings, as for 'run'.")
    private Path config;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print JSON: for list, one object per plugin per line; for a change, the record written.")
    private boolean json;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "30000", scope = ScopeType.INHERIT,
            description = "The longest wait for Kafka in any one step (default: ${DEFAULT-VALUE}).")
    private long timeoutMs;

    /** Creates the command over real Kafka clients, the process environment and the system clock. */
    PluginsCommand() {
        this(PluginsContext.real());
    }

    /** @param context the clients, topic creator, environment, clock and host name to use */
    PluginsCommand(PluginsContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        return list();
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Shows every plugin: what is wanted of it and what the tasks applied.",
                "",
                "Lists the plugins named in " + ArenaflowConfig.PLUGINS + ", then any other plugin with a control or "
                        + "status record. For each: its wanted state (from the control topic; 'enabled (default)' "
                        + "when it has no record), its setting overrides, who changed it, when and why, and a "
                        + "summary of its tasks. A second table shows each task's applied state, per application "
                        + "and task, and its problems (a rejected config, a tripped circuit breaker). Reads both "
                        + "topics from the beginning to their end offsets at start, without a consumer group, "
                        + "committed records only. A topic that does not exist yet has no records.",
                "With --json it prints one JSON object per plugin per line, values as stored, and the notes on "
                        + "standard error."},
            footerHeading = "%nExamples:%n",
            footer = {"  bin/arenaflow plugins list -c app.properties",
                "  bin/arenaflow plugins list --json -c app.properties | jq -r .wanted"})
    int list() {
        return guarded(() -> {
            PluginsSettings loaded = settings();
            new PluginsList(context, loaded, clientConfigs(loaded), timeout()).print(parent.stdout(), err(), json);
        });
    }

    @Command(name = "enable", mixinStandardHelpOptions = true,
            description = "Enables the plugin: it handles messages again; its setting overrides are kept.",
            footerHeading = "%nExample:%n",
            footer = "  bin/arenaflow plugins enable enrich -c app.properties --reason 'fixed'")
    int enable(@Parameters(paramLabel = NAME_LABEL, description = NAME_HELP) String name, @Mixin ChangeOptions options) {
        return changeState(name, State.ENABLED, options);
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disables the plugin: it handles nothing; messages arriving meanwhile are skipped, and counted.",
            footerHeading = "%nExample:%n",
            footer = "  bin/arenaflow plugins disable enrich -c app.properties --reason 'unused'")
    int disable(@Parameters(paramLabel = NAME_LABEL, description = NAME_HELP) String name, @Mixin ChangeOptions options) {
        return changeState(name, State.DISABLED, options);
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Pauses the plugin: messages wait in its arena and are handled, in order, on resume.",
            footerHeading = "%nExample:%n",
            footer = "  bin/arenaflow plugins pause enrich -c app.properties --reason 'lookup upgrade'")
    int pause(@Parameters(paramLabel = NAME_LABEL, description = NAME_HELP) String name, @Mixin ChangeOptions options) {
        return changeState(name, State.PAUSED, options);
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "The same as enable: the plugin handles messages again, those that waited first.",
            footerHeading = "%nExample:%n",
            footer = "  bin/arenaflow plugins resume enrich -c app.properties")
    int resume(@Parameters(paramLabel = NAME_LABEL, description = NAME_HELP) String name, @Mixin ChangeOptions options) {
        return changeState(name, State.ENABLED, options);
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Overrides settings of the plugin at runtime, keeping its state and other overrides.",
                "",
                "Keys are the plugin's own settings without the plugin.<name>. prefix. Each key must be one the "
                        + "plugin defines and each value must pass its validation, together with the start-up "
                        + "settings; otherwise nothing is written. arenaflow's own per-plugin settings "
                        + "(max.in.flight, timeout.ms, ordered, retry.backoff, retry.max.attempts, ...) need a "
                        + "restart and are refused. The plugin must be in " + ArenaflowConfig.PLUGINS + " of the "
                        + "settings, whose start-up values the overrides are checked with."},
            footerHeading = "%nExamples:%n",
            footer = {"  bin/arenaflow plugins set enrich request.timeout.ms=5000 -c app.properties",
                "  bin/arenaflow plugins set enrich retry.delay.ms=500 \\",
                "      max.concurrent.requests=16 -c app.properties"})
    int set(@Parameters(index = "0", paramLabel = NAME_LABEL, description = NAME_HELP) String name,
            @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE",
                    description = "A setting to override.") List<String> settings,
            @Mixin ChangeOptions options) {
        return guarded(() -> {
            OverrideArguments overrides = OverrideArguments.parse(settings);
            PluginsSettings loaded = settings();
            ControlChange change = ControlChange.set(overrides.values(), OverrideCheck.of(loaded.configured(name)),
                    stamp(options));
            write(loaded, controlTopic(loaded).update(name, change));
        });
    }

    @Command(name = "unset", mixinStandardHelpOptions = true,
            description = "Removes setting overrides of the plugin: the keys go back to their start-up values.",
            footerHeading = "%nExample:%n",
            footer = "  bin/arenaflow plugins unset enrich request.timeout.ms -c app.properties")
    int unset(@Parameters(index = "0", paramLabel = NAME_LABEL, description = NAME_HELP) String name,
              @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY",
                      description = "An overridden setting.") List<String> keys,
              @Mixin ChangeOptions options) {
        return guarded(() -> {
            PluginsSettings loaded = settings();
            ControlChange change = ControlChange.unset(keys, OverrideCheck.of(loaded.configured(name)), stamp(options));
            write(loaded, controlTopic(loaded).update(name, change));
        });
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = "Writes a tombstone: the plugin runs enabled with its start-up settings, overrides gone.",
            footerHeading = "%nExample:%n",
            footer = "  bin/arenaflow plugins reset enrich -c app.properties")
    int reset(@Parameters(paramLabel = NAME_LABEL, description = NAME_HELP) String name) {
        return guarded(() -> {
            PluginsSettings loaded = settings();
            loaded.requireKnown(name);
            write(loaded, controlTopic(loaded).reset(name));
        });
    }

    private int changeState(String name, State state, ChangeOptions options) {
        return guarded(() -> {
            PluginsSettings loaded = settings();
            loaded.requireKnown(name);
            write(loaded, controlTopic(loaded).update(name, ControlChange.state(state, stamp(options))));
        });
    }

    private void write(PluginsSettings settings, WrittenControl written) {
        if (!settings.isConfigured(written.plugin())) {
            err().println("note: plugin '" + written.plugin() + "' is not in " + ArenaflowConfig.PLUGINS + " "
                    + settings.configuredPlugins() + " of these settings; applications that run it apply the record");
        }
        parent.stdout().println(json ? written.json() : written.text());
    }

    private Stamp stamp(ChangeOptions options) {
        String by = options.by != null ? options.by : context.operator();
        return new Stamp(by, context.clock().millis(), options.reason);
    }

    private PluginsSettings settings() {
        PluginsSettings settings = PluginsSettings.load(config, context.environment(), getClass().getClassLoader());
        bootstrapServers = settings.settings().properties().getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        return settings;
    }

    private ControlTopic controlTopic(PluginsSettings settings) {
        return new ControlTopic(context, clientConfigs(settings), settings.config().controlTopic(), timeout(), err());
    }

    private PluginClientConfigs clientConfigs(PluginsSettings settings) {
        return new PluginClientConfigs(settings.settings(), timeout());
    }

    private Duration timeout() {
        if (timeoutMs < 1) {
            throw CommandFailure.usage("--timeout-ms must be at least 1 but was " + timeoutMs);
        }
        return Duration.ofMillis(timeoutMs);
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Runs a subcommand, turning its failures into a message on standard error and an exit status. */
    private int guarded(Action action) {
        try {
            action.run();
            return 0;
        } catch (CommandFailure e) {
            Optional<String> refused = KafkaSecurityFailure.describe(e.getCause());
            return refused.isPresent() ? fail(KafkaSecurityFailure.EXIT_STATUS, refused.get())
                    : fail(e.exitCode(), e.getMessage());
        } catch (KafkaException e) {
            Optional<String> refused = KafkaSecurityFailure.describe(e);
            if (refused.isPresent()) {
                return fail(KafkaSecurityFailure.EXIT_STATUS, refused.get());
            }
            return fail(CommandFailure.FAILED, "Kafka failed" + (bootstrapServers == null ? ""
                    : " (" + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG + "=" + bootstrapServers + ")") + ": "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(CommandFailure.FAILED, "interrupted");
        } finally {
            parent.stdout().flush();
        }
    }

    private int fail(int exitCode, String message) {
        PrintWriter err = err();
        err.println("arenaflow plugins: " + message);
        err.flush();
        return exitCode;
    }

    private interface Action {
        void run() throws InterruptedException;
    }

    /** The options of every subcommand that writes a control record with a state or overrides. */
    static final class ChangeOptions {

        @Option(names = "--reason", paramLabel = "TEXT",
                description = "Why, shown by list. A state change without it clears the earlier reason; "
                        + "set and unset keep it.")
        String reason;

        @Option(names = "--by", paramLabel = "WHO", description = "Who asks (default: $USER@hostname).")
        String by;
    }
}
