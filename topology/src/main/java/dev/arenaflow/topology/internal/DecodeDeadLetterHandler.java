package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.ArenaflowTopology;
import dev.arenaflow.topology.DeadLetterLimit;
import org.apache.kafka.common.header.Headers;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.DeadLetterHeaders;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each malformed input record to the decode dead-letter topic, with its key, value and
 * headers unchanged plus the failure headers, and lets processing go on. The dead letter goes
 * through the task's own record collector, so it commits with the input offset (atomically under
 * exactly-once). Any other deserialization failure is unexpected and stops the application.
 */
public final class DecodeDeadLetterHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DecodeDeadLetterHandler.class);

    private String topic;
    private int maxMessageChars;
    private DeadLetterLimit limit;

    @Override
    public void configure(Map<String, ?> configs) {
        ArenaflowConfig config = new ArenaflowConfig(configs);
        topic = config.decodeDeadLetterTopic();
        maxMessageChars = config.errorMessageMaxChars();
        limit = configs.get(DeadLetterLimit.PROPERTY) instanceof DeadLetterLimit given ? given
                : ArenaflowTopology.deadLetterLimit(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (!(exception instanceof RawRecordDecodeException decode)) {
            LOG.error("Unexpected deserialization failure of {}-{}@{}; stopping", record.topic(), record.partition(),
                    record.offset(), exception);
            return Response.fail();
        }
        LOG.warn("Malformed record {}-{}@{} sent to {}: {}", record.topic(), record.partition(), record.offset(),
                topic, decode.getMessage());
        DeadLetterHeaders.Failure failure = new DeadLetterHeaders.Failure(decode.error().name(), decode.getMessage(),
                decode.getClass().getName(), DeadLetterHeaders.DECODE_PLUGIN, 1, record.topic(), record.partition(),
                record.offset(), System.currentTimeMillis());
        Long timestamp = record.timestamp() < 0 ? null : record.timestamp();
        Headers headers = DeadLetterHeaders.of(record.headers(), failure, maxMessageChars);
        byte[] value = limit.valueToSend(DeadLetterHeaders.DECODE_PLUGIN, record.key(), record.value(), headers);
        if (value == null && record.value() != null) {
            LOG.warn("The dead letter of {}-{}@{} would be larger than {} bytes (max.request.size, or {}'s "
                    + "max.message.bytes); sent without its {}-byte value, which stays in the input topic",
                    record.topic(), record.partition(), record.offset(), limit.maxBytes(DeadLetterHeaders.DECODE_PLUGIN), topic,
                    record.value().length);
        }
        return Response.resume(List.of(new ProducerRecord<>(topic, null, timestamp, record.key(), value, headers)));
    }
}
