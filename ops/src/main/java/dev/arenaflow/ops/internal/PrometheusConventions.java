package dev.arenaflow.ops.internal;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps the scrape within Prometheus's naming conventions, as {@code promtool check metrics} lints
 * them, where Kafka's client metrics and two of Micrometer's break them:
 *
 * <ul>
 *   <li>a name with an abbreviated unit as a word ({@code io.time.ns.total},
 *       {@code start.time.ms}), or an abbreviated base unit (Micrometer's {@code process.cpu.time}, in
 *       ns), is left out: the values are not in a base unit, and Kafka has ratios
 *       or second-based equivalents for the useful ones;</li>
 *   <li>a gauge named {@code X.count} becomes {@code Xs} ({@code connection.count} is exported as
 *       {@code kafka_consumer_connections}), since {@code _count} is reserved for histograms;</li>
 *   <li>Kafka's per-broker-node request latencies, which have no help text, are left out; the
 *       client-wide {@code request.latency.avg} and {@code .max} stay.</li>
 * </ul>
 *
 * arenaflow's own meters follow the conventions and pass through unchanged.
 */
public final class PrometheusConventions implements MeterFilter {

    private static final Pattern ABBREVIATED_UNIT = Pattern.compile("(^|\\.)(ns|ms|us)(\\.|$)");
    private static final Set<String> ABBREVIATED_UNITS = Set.of("ns", "ms", "us");
    private static final Set<String> WITHOUT_HELP = Set.of("node.request.latency.avg", "node.request.latency.max");
    private static final String COUNT = ".count";

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        String name = id.getName();
        if (ABBREVIATED_UNIT.matcher(name).find() || (id.getBaseUnit() != null && ABBREVIATED_UNITS.contains(id.getBaseUnit()))
                || WITHOUT_HELP.stream().anyMatch(name::endsWith)) {
            return MeterFilterReply.DENY;
        }
        return MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        String name = id.getName();
        if (name.endsWith(COUNT) && id.getType() == Meter.Type.GAUGE) {
            return id.withName(name.substring(0, name.length() - COUNT.length()) + "s");
        }
        return id;
    }
}
