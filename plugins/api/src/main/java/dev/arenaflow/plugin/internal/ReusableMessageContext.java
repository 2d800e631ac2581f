package dev.arenaflow.plugin.internal;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.schemas.SnapshotMeta;
import java.time.Instant;

/**
 * The {@link MessageContext} that arenaflow lends to a plugin: one instance per processor, pointed
 * at each message in turn, so the sync path allocates nothing for it.
 *
 * <p>Threading notes: confined to the thread that owns the processor.
 */
public final class ReusableMessageContext implements MessageContext {

    private final String pluginName;
    private RawRecordView view;
    private String topic;
    private int partition;
    private long offset;
    private int attempt;

    /** @param pluginName the plugin this context serves */
    public ReusableMessageContext(String pluginName) {
        this.pluginName = pluginName;
    }

    /**
     * Points this context at a message.
     *
     * @param view the message's view; its validity governs {@link #newMeta()}
     * @param topic input topic
     * @param partition input partition
     * @param offset input offset
     * @param attempt attempt, from 1
     * @return this
     */
    public ReusableMessageContext wrap(RawRecordView view, String topic, int partition, long offset, int attempt) {
        this.view = view;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.attempt = attempt;
        return this;
    }

    @Override
    public String pluginName() {
        return pluginName;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public SnapshotMeta newMeta() {
        return SnapshotMeta.newBuilder()
                .setPlugin(pluginName)
                .setSource(view.sourceAsString())
                .setSequence(view.sequence())
                .setType(view.type())
                .setEventTime(Instant.ofEpochMilli(view.eventTime()))
                .setInputTopic(topic)
                .setInputPartition(partition)
                .setInputOffset(offset)
                .setAttempt(attempt)
                .build();
    }
}
