package dev.arenaflow.plugin.internal;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.record.RawRecordView;

/**
 * Lends a plugin one message at a time: a view of its value and its context, both valid from
 * {@link #lendView} until {@link #endLoan}. The {@link LoanGuard} decides whether each loan reuses
 * the same two objects or gets new ones.
 *
 * <pre>{@code
 * RawRecordView view = lender.lendView(value);
 * try {
 *     if (view.isValid()) {
 *         outcome = plugin.handle(view, lender.lendContext(topic, partition, offset, attempt));
 *     }
 * } finally {
 *     lender.endLoan();
 * }
 * }</pre>
 *
 * <p>Threading notes: confined to the thread that owns the processor; the loan's objects check that
 * they are used on it.
 */
public final class MessageLender {

    private final LoanGuard guard;
    private final String pluginName;
    private final int maxPayloadLength;
    private RawRecordView view;
    private LentMessageContext message;

    /**
     * @param guard how loans are guarded
     * @param pluginName the plugin the messages are lent to
     * @param maxPayloadLength the decoder's payload limit, for the views
     */
    public MessageLender(LoanGuard guard, String pluginName, int maxPayloadLength) {
        this.guard = guard;
        this.pluginName = pluginName;
        this.maxPayloadLength = maxPayloadLength;
        this.view = new RawRecordView(maxPayloadLength);
        this.message = new LentMessageContext(pluginName);
    }

    /**
     * Starts a loan: wraps a view around a value. The caller checks {@link RawRecordView#isValid()}.
     *
     * @param value a record value; the view keeps a reference to it
     * @return the view of this loan
     */
    public RawRecordView lendView(byte[] value) {
        if (guard == LoanGuard.STRICT) {
            view = new RawRecordView(maxPayloadLength);
            message = new LentMessageContext(pluginName);
        }
        return view.wrap(value);
    }

    /**
     * Lends the context of the message whose view this loan holds.
     *
     * @param topic input topic
     * @param partition input partition
     * @param offset input offset
     * @param attempt attempt, from 1
     * @return the context of this loan
     */
    public MessageContext lendContext(String topic, int partition, long offset, int attempt) {
        return message.wrap(view, topic, partition, offset, attempt);
    }

    /** Ends the loan: the view and the context throw from now on. Idempotent. */
    public void endLoan() {
        view.release();
        message.release();
    }

    /** @return the level this lender guards at */
    public LoanGuard guard() {
        return guard;
    }
}
