package dev.arenaflow.cli;

import dev.arenaflow.cli.io.ClientSettings;
import dev.arenaflow.cli.io.ConnectionOptions;
import dev.arenaflow.cli.io.GeneratedSource;
import dev.arenaflow.cli.io.JsonLineSource;
import dev.arenaflow.cli.io.KafkaClients;
import dev.arenaflow.cli.io.KafkaSecurityFailure;
import dev.arenaflow.cli.io.OutgoingRecord;
import dev.arenaflow.cli.io.ProgressLine;
import dev.arenaflow.cli.io.RateLimiter;
import dev.arenaflow.cli.io.RecordSource;
import dev.arenaflow.cli.io.SampleGenerator;
import dev.arenaflow.cli.io.SendTally;
import dev.arenaflow.cli.io.ShutdownSignal;
import dev.arenaflow.cli.io.SourceItem;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
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
 * {@code arenaflow produce}: encodes Raw Record v1 values, from JSON lines on standard input or
 * from the built-in {@link SampleGenerator}, and produces them keyed by source. Progress and
 * problems go to standard error; standard output stays empty.
 */
@Command(name = "produce",
        mixinStandardHelpOptions = true,
        versionProvider = ArenaflowCommand.Version.class,
        sortOptions = false,
        description = {
            "Produces Raw Record v1 values to a topic, keyed by their source (the key is the source's UTF-8 bytes).",
            "By default reads standard input, one JSON object per line: "
                    + "{\"type\":7,\"eventTime\":1764000000123,\"sequence\":42,\"source\":\"dev-1\","
                    + "\"payload\":\"<base64>\"} "
                    + "with an optional \"checksum\":true|false (default true). type is 0..65535, eventTime epoch "
                    + "milliseconds, sequence at least 0, source 1..255 UTF-8 bytes, payload standard base64. A line "
                    + "that breaks a rule is reported on standard error as 'line N: <problem>' and skipped; blank "
                    + "lines are ignored.",
            "With --generate N it produces N records of a sample stream instead (see the generator options).",
            "The producer uses acks=all, enable.idempotence=true and linger.ms=5 unless --config or -X say "
                    + "otherwise. A progress line on standard error shows records acknowledged. Ctrl-C stops "
                    + "after flushing what was sent.",
            "Exit status: 0 if every record was acknowledged; 1 if a line was skipped or a send failed; 2 for a "
                    + "usage error; 3 if the broker refused the login or its TLS certificate is not trusted "
                    + "(one line names the settings to check: sasl.jaas.config, ssl.truststore.location)."
        })
final class ProduceCommand implements Callable<Integer> {

    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 100;
    private static final double NANOS_PER_SECOND = 1e9;
    private static final List<String> GENERATOR_OPTIONS = List.of("--sources", "--seed", "--gap-rate",
            "--duplicate-rate", "--malformed-rate", "--payload-bytes", "--type", "--interleave");
    private static final Logger LOG = LoggerFactory.getLogger(ProduceCommand.class);

    private final KafkaClients clients;
    private final Supplier<ShutdownSignal> signals;
    private final BooleanSupplier stderrIsTerminal;
    private final LongSupplier pacingClock;
    private final RateLimiter.Sleeper pacingSleeper;
    private final SendTally tally = new SendTally();
    private long skipped;

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private ArenaflowCommand parent;

    @Mixin
    private ConnectionOptions connection;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "raw-events",
            description = "Topic to produce to (default: ${DEFAULT-VALUE}).")
    private String topic;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
            description = "At most R records per second; 0 for as fast as possible (default).")
    private double rate;

    @Option(names = "--generate", paramLabel = "N",
            description = "Produce N generated records instead of reading standard input.")
    private Long generate;

    @Option(names = "--sources", paramLabel = "K", defaultValue = "10",
            description = "Generator: sources sensor-001..sensor-K (default: ${DEFAULT-VALUE}).")
    private int sources;

    @Option(names = "--seed", paramLabel = "S",
            description = "Generator: random seed; the same seed gives the same stream "
                    + "(default: random, shown at the end).")
    private Long seed;

    @Option(names = "--gap-rate", paramLabel = "RATE", defaultValue = "" + SampleGenerator.Settings.DEFAULT_GAP_RATE,
            description = "Generator: chance that a record follows a gap of 1 to 3 sequence numbers "
                    + "(default: ${DEFAULT-VALUE}).")
    private double gapRate;

    @Option(names = "--duplicate-rate", paramLabel = "RATE",
            defaultValue = "" + SampleGenerator.Settings.DEFAULT_DUPLICATE_RATE,
            description = "Generator: fraction of records that resend their source's last record, byte for byte "
                    + "(default: ${DEFAULT-VALUE}).")
    private double duplicateRate;

    @Option(names = "--malformed-rate", paramLabel = "RATE", defaultValue = "0.0",
            description = "Generator: fraction of records malformed on purpose, in varied ways (bad magic, "
                    + "truncated, wrong CRC, ...), for the decode dead-letter topic (default: ${DEFAULT-VALUE}).")
    private double malformedRate;

    @Option(names = "--payload-bytes", paramLabel = "BYTES",
            defaultValue = "" + SampleGenerator.Settings.DEFAULT_PAYLOAD_BYTES,
            description = "Generator: payload size (default: ${DEFAULT-VALUE}).")
    private int payloadBytes;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "" + SampleGenerator.Settings.DEFAULT_TYPE,
            description = "Generator: message type (default: ${DEFAULT-VALUE}).")
    private int type;

    @Option(names = "--interleave", paramLabel = "random|round-robin", defaultValue = "random",
            description = "Generator: how sources take turns (default: ${DEFAULT-VALUE}).")
    private String interleave;

    /** Creates the command over real Kafka clients and a JVM shutdown hook. */
    ProduceCommand() {
        this(KafkaClients.real(), () -> ShutdownSignal.install(SHUTDOWN_GRACE), ProgressLine::stderrIsTerminal);
    }

    /**
     * @param clients creates the producer
     * @param signals creates the Ctrl-C signal for one run
     * @param stderrIsTerminal whether the progress line may redraw itself with carriage returns
     */
    ProduceCommand(KafkaClients clients, Supplier<ShutdownSignal> signals, BooleanSupplier stderrIsTerminal) {
        this(clients, signals, stderrIsTerminal, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    /**
     * @param clients creates the producer
     * @param signals creates the Ctrl-C signal for one run
     * @param stderrIsTerminal whether the progress line may redraw itself with carriage returns
     * @param pacingClock the monotonic clock {@code --rate} is kept by, in nanoseconds
     * @param pacingSleeper how {@code --rate} waits on that clock
     */
    ProduceCommand(KafkaClients clients, Supplier<ShutdownSignal> signals, BooleanSupplier stderrIsTerminal,
                   LongSupplier pacingClock, RateLimiter.Sleeper pacingSleeper) {
        this.clients = clients;
        this.signals = signals;
        this.stderrIsTerminal = stderrIsTerminal;
        this.pacingClock = pacingClock;
        this.pacingSleeper = pacingSleeper;
    }

    @Override
    public Integer call() {
        SampleGenerator generator = generator();
        Map<String, Object> producerConfig = producerConfig();
        PrintWriter err = spec.commandLine().getErr();
        ProgressLine progress = new ProgressLine(err, stderrIsTerminal.getAsBoolean(), System::nanoTime);
        try (ShutdownSignal signal = signals.get();
             RecordSource source = generator != null ? new GeneratedSource(generator, generate)
                     : JsonLineSource.start(parent.stdin())) {
            produceAll(source, producerConfig, signal, progress);
            Optional<String> refused = KafkaSecurityFailure.describe(tally.fatalCause());
            if (refused.isPresent()) {
                progress.finish("arenaflow produce: " + refused.get());
                return KafkaSecurityFailure.EXIT_STATUS;
            }
            progress.finish(summary(progress, signal, generator));
        } catch (KafkaException e) {
            Optional<String> refused = KafkaSecurityFailure.describe(e);
            progress.finish(refused.map(line -> "arenaflow produce: " + line).orElse("produce failed: " + e.getMessage()));
            return refused.isPresent() ? KafkaSecurityFailure.EXIT_STATUS : 1;
        }
        return skipped > 0 || tally.failed() > 0 || tally.fatal() != null ? 1 : 0;
    }

    private void produceAll(RecordSource source, Map<String, Object> config, ShutdownSignal signal,
                            ProgressLine progress) {
        try (Producer<byte[], byte[]> producer = clients.producer(config)) {
            sendAll(source, producer, signal, progress);
            producer.flush();
        }
        reportFailures(progress);
    }

    private void sendAll(RecordSource source, Producer<byte[], byte[]> producer, ShutdownSignal signal,
                         ProgressLine progress) {
        RateLimiter limiter = new RateLimiter(rate, pacingClock, pacingSleeper);
        BooleanSupplier stopping = () -> signal.requested() || tally.fatal() != null;
        try {
            SourceItem item;
            while (!stopping.getAsBoolean() && (item = source.next(POLL_MILLIS)) != SourceItem.END) {
                reportFailures(progress);
                progress.update(tally.acknowledged(), tally.failed());
                if (item != null && item.problem() != null) {
                    skip(progress, item.problem());
                } else if (item != null && limiter.acquire(stopping)) {
                    send(producer, item.record());
                }
            }
        } catch (InterruptedException e) {
            // An interrupt only means "stop" here; the flag stays clear so that the flush can still wait.
            LOG.debug("interrupted while reading input", e);
        }
    }

    private void send(Producer<byte[], byte[]> producer, OutgoingRecord record) {
        try {
            producer.send(new ProducerRecord<>(topic, record.key(), record.value()), tally);
        } catch (KafkaException e) {
            tally.onCompletion(null, e);
        }
    }

    private void skip(ProgressLine progress, String problem) {
        skipped++;
        progress.message(problem);
    }

    private void reportFailures(ProgressLine progress) {
        for (String failure : tally.drainFailureMessages()) {
            progress.message("send failed: " + failure);
        }
    }

    private String summary(ProgressLine progress, ShutdownSignal signal, SampleGenerator generator) {
        long nanos = progress.elapsedNanos();
        StringBuilder text = new StringBuilder(signal.requested() ? "stopped: " : "")
                .append(tally.fatal() != null ? "stopped after a fatal error: " : "")
                .append(String.format(Locale.ROOT, "produced %,d records to %s in %.1f s (%,d/s), %,d failed",
                        tally.acknowledged(), topic, nanos / NANOS_PER_SECOND,
                        ProgressLine.perSecond(tally.acknowledged(), nanos), tally.failed()));
        if (generator == null) {
            text.append(String.format(Locale.ROOT, ", %,d lines skipped", skipped));
        } else {
            text.append(String.format(Locale.ROOT, "; generated with seed %d: %,d gaps (%,d sequence numbers skipped), "
                    + "%,d duplicates, %,d malformed", generator.settings().seed(), generator.gaps(),
                    generator.skippedSequences(), generator.duplicates(), generator.malformed()));
        }
        return text.toString();
    }

    private Map<String, Object> producerConfig() {
        if (topic.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--topic must not be blank");
        }
        if (rate < 0 || Double.isNaN(rate)) {
            throw new ParameterException(spec.commandLine(), "--rate must be at least 0 but was " + rate);
        }
        try {
            Map<String, Object> settings = connection.settings(Map.of());
            ClientSettings.requireBootstrapServers(settings);
            LOG.debug("producer settings from --config, -X and options: {}", ClientSettings.keyNames(settings));
            return ClientSettings.forProducer(settings);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(),
                    "cannot read --config " + connection.configFile() + ": " + e);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private SampleGenerator generator() {
        if (generate == null) {
            GENERATOR_OPTIONS.stream().filter(spec.commandLine().getParseResult()::hasMatchedOption).findFirst()
                    .ifPresent(option -> {
                        throw new ParameterException(spec.commandLine(), option + " needs --generate");
                    });
            return null;
        }
        if (generate < 1) {
            throw new ParameterException(spec.commandLine(), "--generate must be at least 1 but was " + generate);
        }
        try {
            long actualSeed = seed != null ? seed : new SplittableRandom().nextLong();
            return new SampleGenerator(new SampleGenerator.Settings(sources, actualSeed, gapRate, duplicateRate,
                    malformedRate, payloadBytes, type, interleave()), System::currentTimeMillis);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--generate: " + e.getMessage());
        }
    }

    private SampleGenerator.Interleave interleave() {
        return switch (interleave) {
            case "random" -> SampleGenerator.Interleave.RANDOM;
            case "round-robin" -> SampleGenerator.Interleave.ROUND_ROBIN;
            default -> throw new ParameterException(spec.commandLine(),
                    "--interleave must be random or round-robin but was " + interleave);
        };
    }
}
