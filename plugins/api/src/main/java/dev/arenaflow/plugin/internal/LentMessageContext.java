package dev.arenaflow.plugin.internal;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.schemas.SnapshotMeta;
import java.time.Instant;

/**
 * The {@link MessageContext} that arenaflow lends to a plugin for one call: pointed at a message by
 * {@link #wrap}, dead after {@link #release} until wrapped again. Under {@link LoanGuard#THREAD} one
 * instance per processor is reused, so the sync path allocates nothing for it.
 *
 * <p>Threading notes: wrapped and released by the thread that owns the processor; every accessor
 * called on another thread throws, as does any call between {@link #release} and the next
 * {@link #wrap}.
 */
public final class LentMessageContext implements MessageContext {

    private final String pluginName;
    // Written only by the lending thread; see RawRecordView's owner for why a stale read is safe.
    private Thread owner;
    private boolean lent;
    private RawRecordView view;
    private String topic;
    private int partition;
    private long offset;
    private int attempt;

    /** @param pluginName the plugin this context serves */
    public LentMessageContext(String pluginName) {
        this.pluginName = pluginName;
    }

    /**
     * Lends this context for a message, on the calling thread.
     *
     * @param view the message's view; its validity governs {@link #newMeta()}
     * @param topic input topic
     * @param partition input partition
     * @param offset input offset
     * @param attempt attempt, from 1
     * @return this
     */
    public LentMessageContext wrap(RawRecordView view, String topic, int partition, long offset, int attempt) {
        this.owner = Thread.currentThread();
        this.view = view;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.attempt = attempt;
        this.lent = true;
        return this;
    }

    /** Ends the loan: every accessor throws until the next {@link #wrap}. Idempotent. */
    public void release() {
        lent = false;
        view = null;
    }

    @Override
    public String pluginName() {
        checkLent();
        return pluginName;
    }

    @Override
    public String topic() {
        checkLent();
        return topic;
    }

    @Override
    public int partition() {
        checkLent();
        return partition;
    }

    @Override
    public long offset() {
        checkLent();
        return offset;
    }

    @Override
    public int attempt() {
        checkLent();
        return attempt;
    }

    @Override
    public SnapshotMeta newMeta() {
        checkLent();
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

    @Override
    public String toString() {
        return "MessageContext{" + pluginName + (lent ? "" : ", released") + "}";
    }

    private void checkLent() {
        if (!lent || owner != Thread.currentThread()) {
            throw notLent();
        }
    }

    private IllegalStateException notLent() {
        Thread lentOn = owner;
        if (lentOn != null && lentOn != Thread.currentThread()) {
            return new IllegalStateException("MessageContext of plugin " + pluginName + " used on thread "
                    + Thread.currentThread().getName() + " but lent on thread " + lentOn.getName() + ": it is valid "
                    + "only during the handle call that received it, and may by now describe another message. Call "
                    + "newMeta() and copy the position before handle returns.");
        }
        return new IllegalStateException("MessageContext of plugin " + pluginName + " used after its loan: the handle "
                + "call that received it has returned, and it may by now describe another message. Call newMeta() and "
                + "copy the position before handle returns.");
    }
}
