package dev.arenaflow.topology;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The settings arenaflow itself reads for every plugin, under {@code plugin.<name>.}: how much
 * may be in flight, how long an attempt may take, how many attempts a message gets, and whether
 * messages of one source are handled in order. Plugins cannot define settings with these names.
 *
 * @param maxInFlight messages per task held un-acknowledged at most
 * @param timeoutMs an attempt not complete after this long has failed
 * @param maxAttempts attempts per message before it becomes a dead letter
 * @param ordered at most one message per source in flight, outcomes in input order per source
 */
public record PluginLimits(int maxInFlight, long timeoutMs, int maxAttempts, boolean ordered) {

    public static final String MAX_IN_FLIGHT = "max.in.flight";
    public static final String TIMEOUT_MS = "timeout.ms";
    public static final String MAX_ATTEMPTS = "max.attempts";
    public static final String ORDERED = "ordered";

    // Well under the default max.poll.interval.ms (5 min): the stream thread may wait this long at the bound.
    private static final long MAX_TIMEOUT_MS = 120_000;

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(MAX_IN_FLIGHT, Type.INT, 1000, Range.between(1, 1_000_000), Importance.MEDIUM,
                    "Messages per task the plugin may hold un-acknowledged; at the bound the stream thread waits.")
            .define(TIMEOUT_MS, Type.LONG, 30_000L, Range.between(1, MAX_TIMEOUT_MS), Importance.MEDIUM,
                    "An attempt that has not completed after this long fails.")
            .define(MAX_ATTEMPTS, Type.INT, 5, Range.between(1, 1000), Importance.MEDIUM,
                    "Attempts per message; after the last failed one the message is a dead letter.")
            .define(ORDERED, Type.BOOLEAN, true, Importance.MEDIUM,
                    "true: one message per source in flight, outcomes in input order per source.");

    /** @return the names of these settings */
    public static java.util.Set<String> names() {
        return DEFINITION.names();
    }

    /**
     * @param settings a plugin's settings, without the {@code plugin.<name>.} prefix; others are ignored
     * @return the limits
     */
    public static PluginLimits of(Map<String, ?> settings) {
        Map<String, Object> own = new HashMap<>();
        settings.forEach((k, v) -> {
            if (DEFINITION.names().contains(k)) {
                own.put(k, v);
            }
        });
        AbstractConfig config = new AbstractConfig(DEFINITION, own, false);
        return new PluginLimits(config.getInt(MAX_IN_FLIGHT), config.getLong(TIMEOUT_MS), config.getInt(MAX_ATTEMPTS),
                config.getBoolean(ORDERED));
    }
}
