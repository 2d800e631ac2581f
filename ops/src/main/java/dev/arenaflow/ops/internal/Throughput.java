package dev.arenaflow.ops.internal;

import dev.arenaflow.topology.PluginMeterNames;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Once a second, reads the per-plugin totals of records in, snapshots out and dead letters from the
 * registry (summed over this instance's tasks), and keeps the per-second rates of the last
 * {@link #WINDOW} samples: what the status page charts and its rate columns show. A total that
 * drops (a task closed and its meters went) counts as no progress, not as a negative rate.
 *
 * <p>Threading notes: {@link #sample} runs on one scheduler thread; readers on HTTP threads take a
 * copy under the same lock.
 */
public final class Throughput {

    /** Samples kept: five minutes at one a second. */
    public static final int WINDOW = 300;
    /** The three series, in chart order. */
    public static final List<String> SERIES = List.of(PluginMeterNames.RECORDS_IN, PluginMeterNames.SNAPSHOTS_OUT,
            PluginMeterNames.DEAD_LETTERS);

    private final MeterRegistry registry;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private Map<String, double[]> lastTotals = Map.of();
    private long lastMillis;

    public Throughput(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * One second's point: per plugin, the rates of {@link #SERIES} in that order, per second.
     *
     * @param atMillis when it was taken
     * @param rates by plugin name
     */
    public record Sample(long atMillis, Map<String, double[]> rates) {

        /** @return the rate of one series summed over plugins */
        public double total(int series) {
            return rates.values().stream().mapToDouble(r -> r[series]).sum();
        }
    }

    /** @param nowMillis the time of this sample */
    public void sample(long nowMillis) {
        Map<String, double[]> totals = totals();
        synchronized (this) {
            if (lastMillis > 0 && nowMillis > lastMillis) {
                double seconds = (nowMillis - lastMillis) / 1000.0;
                Map<String, double[]> rates = new HashMap<>();
                Map<String, double[]> previous = lastTotals;
                totals.forEach((plugin, now) -> {
                    double[] before = previous.getOrDefault(plugin, new double[SERIES.size()]);
                    double[] rate = new double[SERIES.size()];
                    for (int i = 0; i < rate.length; i++) {
                        rate[i] = Math.max(0, now[i] - before[i]) / seconds;
                    }
                    rates.put(plugin, rate);
                });
                samples.addLast(new Sample(nowMillis, rates));
                if (samples.size() > WINDOW) {
                    samples.removeFirst();
                }
            }
            lastTotals = totals;
            lastMillis = nowMillis;
        }
    }

    /** @return the samples, oldest first */
    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /**
     * @param plugin a plugin name
     * @param seconds how many of the latest samples to average
     * @return the plugin's average rates over them, in {@link #SERIES} order; zeros if none
     */
    public synchronized double[] recentRates(String plugin, int seconds) {
        double[] sum = new double[SERIES.size()];
        int n = 0;
        for (Iterator<Sample> it = samples.descendingIterator(); it.hasNext() && n < seconds; n++) {
            double[] rate = it.next().rates().getOrDefault(plugin, new double[SERIES.size()]);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += rate[i];
            }
        }
        for (int i = 0; i < sum.length && n > 0; i++) {
            sum[i] /= n;
        }
        return sum;
    }

    private Map<String, double[]> totals() {
        Map<String, double[]> totals = new HashMap<>();
        for (int i = 0; i < SERIES.size(); i++) {
            for (Meter meter : registry.find(SERIES.get(i)).meters()) {
                String plugin = meter.getId().getTag("plugin");
                if (plugin != null) {
                    totals.computeIfAbsent(plugin, p -> new double[SERIES.size()])[i] += MeterSums.value(meter);
                }
            }
        }
        return totals;
    }
}
