package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.schemas.SnapshotMeta;
import dev.arenaflow.topology.DeadLetterHeaders;
import dev.arenaflow.topology.DeadLetterLimit;
import dev.arenaflow.topology.arena.ArenaEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what became of an attempt, on the stream thread: snapshots to the snapshot sink,
 * keyed by their source; or the original record to a retry topic or the dead-letter topic, with
 * the failure in its headers.
 */
final class OutcomeApplier implements Dispatcher.Applier {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeApplier.class);
    private static final String META_FIELD = "meta";

    private final String plugin;
    private final PluginNodes nodes;
    private final ProcessorContext<byte[], Object> context;
    private final PluginMeters meters;
    private long applied;

    OutcomeApplier(String plugin, PluginNodes nodes, ProcessorContext<byte[], Object> context, PluginMeters meters) {
        this.plugin = plugin;
        this.nodes = nodes;
        this.context = context;
        this.meters = meters;
    }

    @Override
    public void emit(ArenaEntry entry, Outcome.Emit emit) {
        List<SpecificRecord> snapshots = emit.snapshots();
        byte[][] keys = new byte[snapshots.size()][];
        for (int i = 0; i < keys.length; i++) {
            SnapshotMeta meta = metaOf(snapshots.get(i));
            if (meta == null) {
                deadLetter(entry, Failure.chosen("SNAPSHOT_WITHOUT_META", "snapshot "
                        + snapshots.get(i).getSchema().getFullName() + " has no field 'meta' of type SnapshotMeta"));
                return;
            }
            keys[i] = meta.getSource().getBytes(StandardCharsets.UTF_8);
        }
        for (int i = 0; i < keys.length; i++) {
            context.forward(new Record<byte[], Object>(keys[i], snapshots.get(i), entry.timestamp()), nodes.snapshotSink());
        }
        meters.snapshotsOut(keys.length);
        applied++;
    }

    @Override
    public void deadLetter(ArenaEntry entry, Failure failure) {
        LOG.warn("Plugin {} sent {} (attempt {}) to its dead-letter topic: {}: {}", plugin, entry.key(),
                entry.attempt(), failure.code(), failure.message());
        Headers headers = DeadLetterHeaders.of(entry.headers(), story(entry, failure), nodes.errorMessageMaxChars());
        byte[] value = nodes.deadLetterLimit().valueToSend(plugin, entry.recordKey(), entry.value(), headers);
        if (value == null && entry.value() != null) {
            LOG.warn("Plugin {}: the dead letter of {} would be larger than {} bytes (max.request.size, or the "
                    + "dead-letter topic's max.message.bytes); sent without its {}-byte value, which stays in {}",
                    plugin, entry.key(), nodes.deadLetterLimit().maxBytes(plugin), entry.value().length, entry.key());
        }
        context.forward(new Record<byte[], Object>(entry.recordKey(), value, entry.timestamp(), headers),
                nodes.deadLetterSink());
        meters.deadLetter(failure.code());
        applied++;
    }

    @Override
    public boolean retry(ArenaEntry entry, Duration tier, long notBeforeMs, Failure failure) {
        String topic = nodes.retryTopics().get(tier);
        Headers headers = DeadLetterHeaders.forRetry(entry.headers(), story(entry, failure), nodes.errorMessageMaxChars(),
                notBeforeMs);
        DeadLetterLimit limit = nodes.deadLetterLimit();
        if (!limit.fitsRetryTopic(topic, entry.recordKey(), entry.value(), headers)) {
            // Sent, it would fail the producer and, under exactly_once_v2, the transaction on every try.
            deadLetter(entry, new Failure(DeadLetterLimit.RETRY_TOO_LARGE, "attempt " + entry.attempt() + " failed: "
                    + failure.code() + ": " + failure.message() + "; its retry record of "
                    + DeadLetterLimit.sizeOf(entry.recordKey(), entry.value(), headers) + " bytes is over the "
                    + limit.retryTopicMaxBytes(topic) + " bytes " + topic
                    + " takes (max.request.size, or the topic's max.message.bytes)", failure.errorClass()));
            return false;
        }
        LOG.debug("Plugin {}: attempt {} of {} failed ({}: {}); retrying through {}", plugin, entry.attempt(),
                entry.key(), failure.code(), failure.message(), topic);
        RetrySink.Outbound value = new RetrySink.Outbound(topic, context.taskId().partition(), entry.value());
        context.forward(new Record<byte[], Object>(entry.recordKey(), value, entry.timestamp(), headers),
                nodes.retrySink());
        meters.retry(tier);
        applied++;
        return true;
    }

    /** @return outcomes applied: snapshots emitted, dead letters and retries sent */
    long applied() {
        return applied;
    }

    /** The first failure's time travels with the message from attempt to attempt in its headers. */
    private DeadLetterHeaders.Failure story(ArenaEntry entry, Failure failure) {
        Long first = DeadLetterHeaders.number(entry.headers(), DeadLetterHeaders.FIRST_FAILURE_MS);
        return new DeadLetterHeaders.Failure(failure.code(), failure.message(), failure.errorClass(), plugin,
                entry.attempt(), entry.key().topic(), entry.key().partition(), entry.key().offset(),
                first != null ? first : context.currentSystemTimeMs());
    }

    private static SnapshotMeta metaOf(SpecificRecord snapshot) {
        Schema.Field field = snapshot.getSchema().getField(META_FIELD);
        return field != null && snapshot.get(field.pos()) instanceof SnapshotMeta meta ? meta : null;
    }
}
