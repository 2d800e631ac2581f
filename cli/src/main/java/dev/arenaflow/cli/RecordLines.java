package dev.arenaflow.cli;

import dev.arenaflow.api.json.ConsumedRecordJson;
import dev.arenaflow.record.RawRecordFormat;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.topology.DeadLetterHeaders;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders records of arenaflow's output topics as JSON lines, as {@code consume} and {@code demo}
 * print them: a dead letter with its headers and the {@code inspect} verdict of its value, a
 * snapshot decoded through the schema registry, or an error line for a value that cannot be read.
 *
 * <p>Threading notes: confined to one thread, like the consumer whose records it renders.
 */
final class RecordLines implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecordLines.class);
    private static final byte CONFLUENT_MAGIC = 0;

    private final String deadLetterPrefix;
    private final RawRecordView view;
    private final Supplier<Deserializer<Object>> snapshotDeserializer;
    private Deserializer<Object> snapshots;

    /**
     * @param deadLetterPrefix a topic with this prefix holds dead letters, as does any record with an error code
     * @param maxPayloadBytes the payload limit of the verdict
     * @param snapshotDeserializer made on the first snapshot; it may throw to say it cannot be made
     */
    RecordLines(String deadLetterPrefix, int maxPayloadBytes, Supplier<Deserializer<Object>> snapshotDeserializer) {
        this.deadLetterPrefix = deadLetterPrefix;
        this.view = new RawRecordView(maxPayloadBytes);
        this.snapshotDeserializer = snapshotDeserializer;
    }

    /** @return the record as one JSON object, without a line end */
    String line(ConsumerRecord<byte[], byte[]> record) {
        if (isDeadLetter(record)) {
            return ConsumedRecordJson.deadLetter(record, VerdictJson.of(view.wrap(record.value())));
        }
        Deserializer<Object> deserializer = snapshots();
        try {
            return ConsumedRecordJson.snapshot(record, deserializer.deserialize(record.topic(), record.headers(), record.value()));
        } catch (RuntimeException e) {
            LOG.debug("cannot read {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
            return ConsumedRecordJson.error(record, describe(e) + wireFormatHint(record.value()));
        }
    }

    /** @return true if the record is a dead letter rather than a snapshot */
    boolean isDeadLetter(ConsumerRecord<byte[], byte[]> record) {
        return record.headers().lastHeader(DeadLetterHeaders.ERROR_CODE) != null
                || record.topic().startsWith(deadLetterPrefix);
    }

    /**
     * Writes one line as UTF-8, whatever the platform's charset, and flushes it.
     *
     * @return false once the output is closed, e.g. by {@code | head}
     */
    static boolean print(PrintStream out, String line) {
        byte[] bytes = (line + '\n').getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.flush();
        return !out.checkError();
    }

    @Override
    public void close() {
        if (snapshots != null) {
            snapshots.close();
        }
    }

    private Deserializer<Object> snapshots() {
        if (snapshots == null) {
            snapshots = snapshotDeserializer.get();
        }
        return snapshots;
    }

    // The serde's own message for a value that is not in the wire format rarely says so.
    private static String wireFormatHint(byte[] value) {
        if (value == null || value.length == 0 || value[0] == CONFLUENT_MAGIC) {
            return "";
        }
        return String.format(Locale.ROOT, "; the value starts with 0x%02X, not the wire-format magic byte 0x00%s", value[0],
                value[0] == RawRecordFormat.MAGIC ? " (0xA5 starts a Raw Record v1)" : "");
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append("; caused by ").append(cause.getClass().getSimpleName())
                    .append(": ").append(cause.getMessage());
        }
        return text.toString();
    }
}
