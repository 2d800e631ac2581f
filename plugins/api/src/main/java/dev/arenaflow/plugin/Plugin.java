package dev.arenaflow.plugin;

import dev.arenaflow.record.RawRecordView;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * A unit of processing that arenaflow hosts: it turns each accepted message into an {@link Outcome}.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.arenaflow.plugin.Plugin} and give it a public no-argument
 * constructor. arenaflow creates one instance per stream task and never shares it between threads;
 * see the package documentation for the ownership, threading and acknowledgement contracts.
 */
public interface Plugin extends AutoCloseable {

    /**
     * The plugin's unique name, used in topic, store and configuration names.
     *
     * @return a non-empty name of letters, digits, {@code -} and {@code _}; constant for the class
     */
    String name();

    /**
     * The message types this plugin accepts.
     *
     * @return the accepted types, each 0..65535; empty means every type. Never null.
     */
    default Set<Integer> acceptedTypes() {
        return Set.of();
    }

    /**
     * The plugin's configuration, declared like any Kafka setting. arenaflow validates the
     * {@code plugin.<name>.*} properties against it before {@link #open} is called.
     *
     * @return the definition; never null
     */
    default ConfigDef configDef() {
        return new ConfigDef();
    }

    /**
     * Whether the plugin keeps keyed state, which arenaflow then gives it through
     * {@link PluginContext#state}, backed by a changelogged state store named {@code state-<name>}.
     *
     * @return true to get a state store; false by default
     */
    default boolean keepsState() {
        return false;
    }

    /**
     * Prepares the instance for one stream task. Called once, on the stream thread, before the
     * first {@link #handle}.
     *
     * @param context the validated configuration and state; valid until {@link #close}
     */
    void open(PluginContext context);

    /**
     * Handles one message. Called on the stream thread, which waits for it, so slow work belongs in
     * an {@link Outcome#later} stage. A call that blocks longer than {@code handle.timeout.ms}
     * pauses the plugin once it returns; an {@link Error} thrown here makes the message a dead letter
     * {@code PLUGIN_ERROR} and pauses the plugin (on every instance, until an operator resumes it).
     * Any other exception is a failed attempt, retried up to {@code retry.max.attempts}. The same message may be handled again after
     * a crash or a rebalance, under every processing guarantee.
     *
     * @param view the message, borrowed: valid only during this call and on its thread, so copy what
     *             you keep; the package documentation says which later uses throw
     *             {@link IllegalStateException} at which loan guard level
     * @param message where the message came from; borrowed like the view
     * @return what to do with the message; never null
     */
    Outcome handle(RawRecordView view, MessageContext message);

    /**
     * Decides what an async attempt that ran past {@code timeout.ms} becomes, instead of the
     * default: a failed attempt {@code TIMEOUT}, retried like an exception. Called on the stream
     * thread once the deadline has passed, with the message lent again as in {@link #handle}.
     * Return {@link Outcome#emit} for a fallback snapshot, {@link Outcome#retry} for another attempt
     * after a delay of your choosing (attempts still end at {@code retry.max.attempts}), or
     * {@link Outcome#fail} for a dead letter now; null (the default) keeps the default.
     * {@link Outcome#later} and {@link Outcome#defer} are not verdicts and get the default, with a
     * warning in the log; so does an exception thrown here. Whatever the verdict, the timed-out
     * attempt's own stage no longer counts: completing it later is ignored (and counted in
     * {@code arenaflow_plugin_stale_completions_total}), so each message ends exactly once.
     *
     * @param view the message, borrowed as in {@link #handle}
     * @param message where it came from, at the attempt that timed out; borrowed as in {@link #handle}
     * @return the verdict, or null for the default
     */
    default Outcome onTimeout(RawRecordView view, MessageContext message) {
        return null;
    }

    /**
     * Takes new settings while the application runs, after an operator changed them on the
     * control topic. Called on the stream thread, between two {@link #handle} calls, with settings
     * already validated against {@link #configDef()}; {@link PluginContext#config()} returns them
     * from now on. Attempts in flight complete as they were started.
     *
     * @param config the new settings: the start-up ones with the operator's overrides
     * @return true if this instance applied them; false (the default) to have arenaflow close this
     *         instance and open a new one with them
     */
    default boolean reconfigure(AbstractConfig config) {
        return false;
    }

    /** Releases what {@link #open} acquired. Called once, on the stream thread. */
    @Override
    default void close() {
    }
}
