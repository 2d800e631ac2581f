package dev.arenaflow.cli.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.arenaflow.topology.DeadLetterHeaders;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One output line of replay: a selected record and what became of it. Keys in this order:
 * {@code topic, partition, offset, action, errorCode, replayCount}, then {@code to, toPartition}
 * for a record (to be) replayed, {@code toOffset} once written, {@code reason} for one skipped or
 * kept, {@code error} for a failed write. {@code replayCount} is the count the replay carries, or,
 * for a record left alone, the count it has.
 *
 * @param topic source topic
 * @param partition source partition
 * @param offset source offset
 * @param action what happened
 * @param errorCode its {@value DeadLetterHeaders#ERROR_CODE}, or null
 * @param replayCount see above
 * @param to the retry topic, or null
 * @param toPartition the retry topic's partition, or null
 * @param toOffset the offset written, or null
 * @param reason why it was left alone, or null
 * @param error why the write failed, or null
 */
public record ReplayOutcome(String topic, int partition, long offset, ReplayAction action, String errorCode,
                            long replayCount, String to, Integer toPartition, Long toOffset, String reason,
                            String error) {

    private static final JsonFactory JSON = new JsonFactory();

    static ReplayOutcome leftAlone(ConsumerRecord<byte[], byte[]> record, ReplayAction action, long count, String reason) {
        return new ReplayOutcome(record.topic(), record.partition(), record.offset(), action, errorCode(record), count,
                null, null, null, reason, null);
    }

    static ReplayOutcome moved(ConsumerRecord<byte[], byte[]> record, ReplayAction action, long newCount,
                               String to, int toPartition) {
        return new ReplayOutcome(record.topic(), record.partition(), record.offset(), action, errorCode(record),
                newCount, to, toPartition, null, null, null);
    }

    ReplayOutcome written(long offset) {
        return new ReplayOutcome(topic, partition, this.offset, ReplayAction.REPLAYED, errorCode, replayCount, to,
                toPartition, offset, null, null);
    }

    ReplayOutcome failed(String message) {
        return new ReplayOutcome(topic, partition, offset, ReplayAction.FAILED, errorCode, replayCount, to,
                toPartition, null, null, message);
    }

    /** @return the line, without a line end */
    public String json() {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("topic", topic);
            json.writeNumberField("partition", partition);
            json.writeNumberField("offset", offset);
            json.writeStringField("action", action.label());
            json.writeStringField("errorCode", errorCode);
            json.writeNumberField("replayCount", replayCount);
            writeIfPresent(json, "to", to);
            writeIfPresent(json, "toPartition", toPartition);
            writeIfPresent(json, "toOffset", toOffset);
            writeIfPresent(json, "reason", reason);
            writeIfPresent(json, "error", error);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON to a string", e);
        }
        return text.toString();
    }

    private static void writeIfPresent(JsonGenerator json, String name, Object value) throws IOException {
        if (value instanceof String text) {
            json.writeStringField(name, text);
        } else if (value instanceof Number number) {
            json.writeNumberField(name, number.longValue());
        }
    }

    private static String errorCode(ConsumerRecord<byte[], byte[]> record) {
        return DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.ERROR_CODE);
    }
}
