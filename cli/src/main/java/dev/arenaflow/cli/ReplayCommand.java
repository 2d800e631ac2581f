package dev.arenaflow.cli;

import dev.arenaflow.cli.config.SettingsSource;
import dev.arenaflow.cli.io.ClientSettings;
import dev.arenaflow.cli.io.KafkaClients;
import dev.arenaflow.cli.io.KafkaSecurityFailure;
import dev.arenaflow.cli.io.ProgressLine;
import dev.arenaflow.cli.io.ShutdownSignal;
import dev.arenaflow.cli.replay.ReadRange;
import dev.arenaflow.cli.replay.ReplayClientSettings;
import dev.arenaflow.cli.replay.ReplayRequest;
import dev.arenaflow.cli.replay.ReplaySelection;
import dev.arenaflow.cli.replay.ReplayTally;
import dev.arenaflow.cli.replay.Replayer;
import dev.arenaflow.cli.replay.RetryTarget;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code arenaflow replay}: copies a plugin's dead letters into its shortest retry topic, so that
 * the running application handles them again. Options are checked here; the reading and writing
 * is {@link Replayer}'s.
 */
@Command(name = "replay",
        mixinStandardHelpOptions = true,
        versionProvider = ArenaflowCommand.Version.class,
        sortOptions = false,
        description = {
            "Puts a plugin's dead letters back into processing through its first retry topic.",
            "",
            "Reads the plugin's dead-letter topic (or --from-topic) without a consumer group, only up to the end "
                    + "offsets it finds at start, and copies each selected record into the plugin's shortest retry "
                    + "topic: key, value and timestamp unchanged, into the partition its message came from (header "
                    + "arenaflow.origin.partition). All headers are kept, except that arenaflow.attempt becomes 0, "
                    + "arenaflow.not.before.ms becomes now and arenaflow.replay.count one more, so the running "
                    + "application handles the message again at once, as attempt 1 with its whole retry budget. The "
                    + "dead letters themselves stay where they are: replaying the same range twice replays it twice.",
            "Selection options are optional and combine with AND; offset and time bounds are inclusive. A selected "
                    + "record replayed --max-replays times already is kept. One without the origin headers "
                    + "(arenaflow.origin.topic, .partition, .offset), or a dead letter of another plugin, is skipped.",
            "Standard output gets one JSON line per selected record, with the fields topic, partition, offset, "
                    + "action, errorCode and replayCount (the count the copy carries, or the one the record has); "
                    + "then to, toPartition and, once written, toOffset for a copy; reason for a record kept or "
                    + "skipped; error for a failed write. action is replayed, would-replay (--dry-run), kept, skipped "
                    + "or failed. A line says replayed only once the broker has acknowledged the write. A summary "
                    + "goes to standard error: counts per action, the retry topic, and where to go on if it stopped "
                    + "early.",
            "Settings come from --config and ARENAFLOW_* environment variables exactly as for 'arenaflow run' "
                    + "(see its help): use the application's own settings, so that topic names and retry tiers match."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  See what would move, writing nothing:",
            "    arenaflow replay -c app.properties --plugin enrich --dry-run",
            "  Replay the TIMEOUT dead letters of one morning:",
            "    arenaflow replay -c app.properties --plugin enrich --error-code TIMEOUT \\",
            "        --from-time 2026-11-26T06:00:00Z --to-time 2026-11-26T12:00:00Z",
            "  Replay a single dead letter, partition 2 offset 41:",
            "    arenaflow replay -c app.properties --plugin enrich \\",
            "        --partition 2 --from-offset 41 --to-offset 41"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done, also when stopped by Ctrl-C or at --max-records",
            "1:a topic is missing, a write failed or Kafka could not be reached",
            "2:invalid arguments or configuration",
            "3:the broker refused the login or its TLS certificate is not trusted (sasl.jaas.config, "
                + "ssl.truststore.location)"
        })
final class ReplayCommand implements Callable<Integer> {

    static final int INVALID = 2;
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(ReplayCommand.class);

    private final KafkaClients clients;
    private final Supplier<ShutdownSignal> signals;
    private final Map<String, String> environment;
    private final Clock clock;
    private final BooleanSupplier stderrIsTerminal;

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private ArenaflowCommand parent;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The application's properties file of Kafka Streams and arenaflow settings.")
    private Path config;

    @Option(names = "--plugin", paramLabel = "NAME", required = true,
            description = "Plugin whose dead letters to replay; one of arenaflow.plugins.")
    private String plugin;

    @Option(names = "--from-topic", paramLabel = "TOPIC",
            description = "Topic to read (default: the plugin's dead-letter topic).")
    private String fromTopic;

    @Option(names = "--partition", paramLabel = "N",
            description = "Read only this partition of the topic read; repeatable (default: all).")
    private List<Integer> partitions = new ArrayList<>();

    @Option(names = "--from-offset", paramLabel = "OFFSET", description = "Lowest offset, in each partition read.")
    private Long fromOffset;

    @Option(names = "--to-offset", paramLabel = "OFFSET", description = "Highest offset, in each partition read.")
    private Long toOffset;

    @Option(names = "--from-time", paramLabel = "TIME", converter = EpochMillis.class,
            description = "Earliest record timestamp: an ISO-8601 instant such as 2026-11-26T10:00:00Z, or epoch "
                    + "milliseconds.")
    private Long fromTime;

    @Option(names = "--to-time", paramLabel = "TIME", converter = EpochMillis.class,
            description = "Latest record timestamp, written like --from-time.")
    private Long toTime;

    @Option(names = "--error-code", paramLabel = "CODE",
            description = "Only records with this arenaflow.error.code header; repeatable (default: any).")
    private List<String> errorCodes = new ArrayList<>();

    @Option(names = "--max-replays", paramLabel = "K", defaultValue = "3",
            description = "Keep records already replayed K times, by their arenaflow.replay.count header "
                    + "(default: ${DEFAULT-VALUE}).")
    private long maxReplays;

    @Option(names = "--max-records", paramLabel = "N", defaultValue = "1000",
            description = "Replay at most N records, then stop and say where to go on (default: ${DEFAULT-VALUE}).")
    private long maxRecords;

    @Option(names = "--dry-run", description = "Print what would be replayed; write nothing.")
    private boolean dryRun;

    /** Creates the command over real Kafka clients, the process environment and a JVM shutdown hook. */
    ReplayCommand() {
        this(KafkaClients.real(), () -> ShutdownSignal.install(SHUTDOWN_GRACE), System.getenv(), Clock.systemUTC(),
                ProgressLine::stderrIsTerminal);
    }

    /**
     * @param clients creates the consumer and producer
     * @param signals creates the Ctrl-C signal for one run
     * @param environment the ARENAFLOW_* variables that override --config
     * @param clock the time written into arenaflow.not.before.ms
     * @param stderrIsTerminal whether the progress line may redraw itself
     */
    ReplayCommand(KafkaClients clients, Supplier<ShutdownSignal> signals, Map<String, String> environment, Clock clock,
                  BooleanSupplier stderrIsTerminal) {
        this.clients = clients;
        this.signals = signals;
        this.environment = environment;
        this.clock = clock;
        this.stderrIsTerminal = stderrIsTerminal;
    }

    @Override
    public Integer call() {
        ReplaySelection selection = selection();
        ArenaflowSettings settings;
        try {
            settings = SettingsSource.validated(config, environment, getClass().getClassLoader());
        } catch (ConfigException e) {
            err().println("arenaflow: invalid configuration: " + e.getMessage());
            return INVALID;
        }
        PluginSpec pluginSpec = pluginSpec(settings);
        String source = fromTopic != null ? fromTopic : settings.config().deadLetterTopic(plugin);
        String retryTopic = settings.config().retryTopics(pluginSpec).get(0);
        if (source.equals(retryTopic)) {
            throw invalid("--from-topic " + source + " is the retry topic that replay writes to");
        }
        return replay(settings, new ReplayRequest(source, plugin, selection, maxReplays, maxRecords, dryRun), retryTopic);
    }

    private int replay(ArenaflowSettings settings, ReplayRequest request, String retryTopic) {
        Map<String, Object> consumerConfig = ReplayClientSettings.forConsumer(settings.properties());
        LOG.debug("consumer settings from the application's: {}", ClientSettings.keyNames(consumerConfig));
        ProgressLine progress = new ProgressLine(err(), stderrIsTerminal.getAsBoolean(), System::nanoTime);
        try (ShutdownSignal signal = signals.get();
             Consumer<byte[], byte[]> consumer = clients.consumer(consumerConfig)) {
            signal.onRequest(consumer::wakeup);
            List<TopicPartition> partitions = partitionsToRead(consumer, request);
            RetryTarget target = retryTarget(consumer, retryTopic);
            if (partitions == null || target == null) {
                return 1;
            }
            List<ReadRange> plan = ReadRange.plan(consumer, partitions, request.selection());
            ReplayTally tally = write(settings, request, target, consumer, progress, plan, signal);
            tally.summary(request, target.topic()).forEach(progress::message);
            return tally.stop() == ReplayTally.Stop.FAILED ? 1
                    : tally.stop() == ReplayTally.Stop.OUTPUT_CLOSED ? InspectCommand.EXIT_OUTPUT_CLOSED : 0;
        } catch (WakeupException e) {
            progress.message("stopped by Ctrl-C before reading began; nothing was replayed");
            return 0;
        } catch (KafkaException e) {
            Optional<String> refused = KafkaSecurityFailure.describe(e);
            progress.message(refused.map(line -> "arenaflow replay: " + line)
                    .orElse("replay failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
            return refused.isPresent() ? KafkaSecurityFailure.EXIT_STATUS : 1;
        }
    }

    private ReplayTally write(ArenaflowSettings settings, ReplayRequest request, RetryTarget target,
                              Consumer<byte[], byte[]> consumer, ProgressLine progress, List<ReadRange> plan,
                              ShutdownSignal signal) {
        Replayer.Output output = line -> RecordLines.print(parent.stdout(), line);
        if (request.dryRun()) {
            return new Replayer(request, target, consumer, null, clock::millis, output, progress)
                    .run(plan, signal::requested);
        }
        Map<String, Object> producerConfig = ReplayClientSettings.forProducer(settings.properties());
        LOG.debug("producer settings from the application's: {}", ClientSettings.keyNames(producerConfig));
        try (Producer<byte[], byte[]> producer = clients.producer(producerConfig)) {
            return new Replayer(request, target, consumer, producer, clock::millis, output, progress)
                    .run(plan, signal::requested);
        }
    }

    /** @return the partitions to read, or null after saying that the topic does not exist */
    private List<TopicPartition> partitionsToRead(Consumer<byte[], byte[]> consumer, ReplayRequest request) {
        String topic = request.sourceTopic();
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            err().println("replay failed: topic " + topic + " does not exist");
            return null;
        }
        for (int partition : partitions) {
            if (partition >= infos.size()) {
                throw invalid("--partition " + partition + ": " + topic + " has " + infos.size() + " partitions, 0 to "
                        + (infos.size() - 1));
            }
        }
        return infos.stream().map(PartitionInfo::partition).filter(request.selection()::includesPartition).sorted()
                .map(p -> new TopicPartition(topic, p)).toList();
    }

    /** @return the target, or null after saying that it does not exist */
    private RetryTarget retryTarget(Consumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            err().println("replay failed: retry topic " + topic + " does not exist; arenaflow creates it when it "
                    + "starts with plugin " + plugin);
            return null;
        }
        return new RetryTarget(topic, infos.size());
    }

    private PluginSpec pluginSpec(ArenaflowSettings settings) {
        return settings.plugins().stream().filter(p -> p.name().equals(plugin)).findFirst()
                .orElseThrow(() -> invalid("--plugin " + plugin + " is not one of the configured plugins "
                        + "(arenaflow.plugins): " + String.join(", ", settings.config().pluginNames())));
    }

    private ReplaySelection selection() {
        for (int partition : partitions) {
            require(partition >= 0, "--partition must be at least 0 but was " + partition);
        }
        require(fromOffset == null || fromOffset >= 0, "--from-offset must be at least 0 but was " + fromOffset);
        require(toOffset == null || toOffset >= 0, "--to-offset must be at least 0 but was " + toOffset);
        if (fromOffset != null && toOffset != null && fromOffset > toOffset) {
            throw invalid("--from-offset " + fromOffset + " is after --to-offset " + toOffset);
        }
        if (fromTime != null && toTime != null && fromTime > toTime) {
            throw invalid("--from-time " + EpochMillis.show(fromTime) + " is after --to-time " + EpochMillis.show(toTime));
        }
        require(errorCodes.stream().noneMatch(String::isBlank), "--error-code must not be blank");
        require(maxReplays >= 1, "--max-replays must be at least 1 but was " + maxReplays);
        require(maxRecords >= 1, "--max-records must be at least 1 but was " + maxRecords);
        require(fromTopic == null || !fromTopic.isBlank(), "--from-topic must not be blank");
        return new ReplaySelection(new LinkedHashSet<>(partitions), fromOffset, toOffset, fromTime, toTime,
                new LinkedHashSet<>(errorCodes));
    }

    private void require(boolean valid, String message) {
        if (!valid) {
            throw invalid(message);
        }
    }

    private ParameterException invalid(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
