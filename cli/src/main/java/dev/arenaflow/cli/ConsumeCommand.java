package dev.arenaflow.cli;

import dev.arenaflow.cli.io.ClientSettings;
import dev.arenaflow.cli.io.ConnectionOptions;
import dev.arenaflow.cli.io.KafkaClients;
import dev.arenaflow.cli.io.KafkaSecurityFailure;
import dev.arenaflow.cli.io.ShutdownSignal;
import dev.arenaflow.record.RawRecordFormat;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.DeadLetterHeaders;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code arenaflow consume}: prints the records of a snapshot, dead-letter or retry topic as JSON
 * lines. It reads without a consumer group, assigning every partition itself, so it commits
 * nothing and no other consumer notices it.
 */
@Command(name = "consume",
        mixinStandardHelpOptions = true,
        versionProvider = ArenaflowCommand.Version.class,
        sortOptions = false,
        description = {
            "Prints the snapshots or dead letters of a topic as JSON lines.",
            "",
            "Prints the records of a topic on standard output, one JSON object per line, flushed per record. "
                    + "Reads all partitions without a consumer group, so it commits nothing.",
            "A dead letter (a record with an arenaflow.error.code header, or any record of a topic named "
                    + "arenaflow.dlq.*) prints as {\"topic\":..,\"partition\":..,\"offset\":..,\"key\":..,"
                    + "\"headers\":{all headers as UTF-8 text},"
                    + "\"verdict\":<what 'arenaflow inspect' says of the value>}.",
            "Any other record is a snapshot in the Confluent wire format, read with its writer schema from the "
                    + "registry (--registry-url) as a generic record, and prints as {\"topic\":..,\"partition\":..,"
                    + "\"offset\":..,\"key\":..,\"value\":{the record}}. In the value, unions are plain values, bytes "
                    + "and fixed are base64, enums are their symbol, and logical types keep their underlying Avro "
                    + "value: timestamp-millis fields such as eventTime are epoch milliseconds (numbers), as "
                    + "everywhere in arenaflow; decimals are exact numbers.",
            "A value that cannot be read prints as {\"topic\":..,\"partition\":..,\"offset\":..,\"error\":\"...\"} "
                    + "and consumption goes on. Keys print as UTF-8 text, or base64 if they are not valid UTF-8.",
            "Runs until Ctrl-C, --max-messages or --timeout-ms. Exit status: 0, or 1 if the topic does not "
                    + "exist or the client fails, 2 for a usage error, 3 if "
                    + "the broker refused the login or its TLS certificate is not trusted (sasl.jaas.config, "
                    + "ssl.truststore.location)."
        })
final class ConsumeCommand implements Callable<Integer> {

    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    static final String DEFAULT_DLQ_PREFIX = "arenaflow.dlq.";
    private static final long MAX_POLL_MILLIS = 500;
    private static final List<String> ISOLATION_LEVELS = List.of("read_committed", "read_uncommitted");
    private static final Logger LOG = LoggerFactory.getLogger(ConsumeCommand.class);

    private final KafkaClients clients;
    private final Supplier<ShutdownSignal> signals;
    private Map<String, Object> settings;

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private ArenaflowCommand parent;

    @Mixin
    private ConnectionOptions connection;

    @Option(names = "--topic", paramLabel = "TOPIC", required = true, description = "Topic to read.")
    private String topic;

    @Option(names = "--registry-url", paramLabel = "URL",
            description = "Schema registry for snapshot topics, e.g. http://127.0.0.1:8080/apis/registry/v2 "
                    + "(the setting " + ArenaflowConfig.REGISTRY_URL + "). Not needed for dead-letter topics.")
    private String registryUrl;

    @Option(names = "--from-beginning", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Start at the beginning of each partition (default); --no-from-beginning starts at the end.")
    private boolean fromBeginning;

    @Option(names = "--max-messages", paramLabel = "N", description = "Stop after N records.")
    private Long maxMessages;

    @Option(names = "--timeout-ms", paramLabel = "MS",
            description = "Stop after MS milliseconds without a new record (default: run until Ctrl-C).")
    private Long timeoutMs;

    @Option(names = "--isolation", paramLabel = "read_committed|read_uncommitted", defaultValue = "read_committed",
            description = "Whether to read records of aborted or open transactions (default: ${DEFAULT-VALUE}).")
    private String isolation;

    @Option(names = "--max-payload-bytes", paramLabel = "BYTES",
            defaultValue = "" + RawRecordFormat.DEFAULT_MAX_PAYLOAD_LENGTH,
            description = "Largest payload the verdict on a dead letter accepts, as the application's setting "
                    + "(default: ${DEFAULT-VALUE}).")
    private int maxPayloadBytes;

    /** Creates the command over real Kafka clients and a JVM shutdown hook. */
    ConsumeCommand() {
        this(KafkaClients.real(), () -> ShutdownSignal.install(SHUTDOWN_GRACE));
    }

    /**
     * @param clients creates the consumer and the snapshot deserializer
     * @param signals creates the Ctrl-C signal for one run
     */
    ConsumeCommand(KafkaClients clients, Supplier<ShutdownSignal> signals) {
        this.clients = clients;
        this.signals = signals;
    }

    @Override
    public Integer call() {
        Map<String, Object> consumerConfig = consumerConfig();
        Object prefix = settings.getOrDefault(ArenaflowConfig.DLQ_TOPIC_PREFIX, DEFAULT_DLQ_PREFIX);
        try (ShutdownSignal signal = signals.get();
             RecordLines lines = new RecordLines(prefix.toString(), maxPayloadBytes, this::snapshots);
             Consumer<byte[], byte[]> consumer = clients.consumer(consumerConfig)) {
            signal.onRequest(consumer::wakeup);
            return assign(consumer) ? consumeAll(consumer, lines) : 1;
        } catch (WakeupException e) {
            return 0;
        } catch (KafkaException e) {
            Optional<String> refused = KafkaSecurityFailure.describe(e);
            spec.commandLine().getErr().println(refused.map(line -> "arenaflow consume: " + line)
                    .orElse("consume failed: " + e.getMessage()));
            return refused.isPresent() ? KafkaSecurityFailure.EXIT_STATUS : 1;
        }
    }

    private boolean assign(Consumer<byte[], byte[]> consumer) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic);
        if (partitions == null || partitions.isEmpty()) {
            spec.commandLine().getErr().println("topic " + topic + " does not exist");
            return false;
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(assigned);
        if (fromBeginning) {
            consumer.seekToBeginning(assigned);
        } else {
            consumer.seekToEnd(assigned);
        }
        LOG.debug("reading {} partitions of {}", assigned.size(), topic);
        return true;
    }

    private int consumeAll(Consumer<byte[], byte[]> consumer, RecordLines lines) {
        long count = 0;
        long lastRecordNanos = System.nanoTime();
        while (true) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout(lastRecordNanos));
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (!RecordLines.print(parent.stdout(), lines.line(record))) {
                    return InspectCommand.EXIT_OUTPUT_CLOSED;
                }
                if (maxMessages != null && ++count >= maxMessages) {
                    return 0;
                }
            }
            if (!records.isEmpty()) {
                lastRecordNanos = System.nanoTime();
            } else if (timeoutMs != null && idleMillis(lastRecordNanos) >= timeoutMs) {
                return 0;
            }
        }
    }

    private Duration pollTimeout(long lastRecordNanos) {
        if (timeoutMs == null) {
            return Duration.ofMillis(MAX_POLL_MILLIS);
        }
        return Duration.ofMillis(Math.max(0, Math.min(MAX_POLL_MILLIS, timeoutMs - idleMillis(lastRecordNanos))));
    }

    private static long idleMillis(long lastRecordNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRecordNanos);
    }

    private Deserializer<Object> snapshots() {
        if (settings.get(ArenaflowConfig.REGISTRY_URL) == null) {
            throw new ParameterException(spec.commandLine(), "--registry-url is required to read snapshot records; "
                    + topic + " has records without an " + DeadLetterHeaders.ERROR_CODE + " header");
        }
        return clients.snapshotDeserializer(settings);
    }

    private Map<String, Object> consumerConfig() {
        validate();
        try {
            Map<String, String> named = new HashMap<>();
            named.put(ArenaflowConfig.REGISTRY_URL, registryUrl);
            settings = connection.settings(named);
            ClientSettings.requireBootstrapServers(settings);
            LOG.debug("consumer settings from --config, -X and options: {}", ClientSettings.keyNames(settings));
            return ClientSettings.forConsumer(settings, isolation);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(),
                    "cannot read --config " + connection.configFile() + ": " + e);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void validate() {
        if (!ISOLATION_LEVELS.contains(isolation)) {
            throw new ParameterException(spec.commandLine(),
                    "--isolation must be read_committed or read_uncommitted but was " + isolation);
        }
        if (maxMessages != null && maxMessages < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--max-messages must be at least 1 but was " + maxMessages);
        }
        if (timeoutMs != null && timeoutMs < 1) {
            throw new ParameterException(spec.commandLine(), "--timeout-ms must be at least 1 but was " + timeoutMs);
        }
        if (maxPayloadBytes < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--max-payload-bytes must be at least 1 but was " + maxPayloadBytes);
        }
    }
}
