package dev.arenaflow.ops.internal;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Measurement;
import java.util.HashMap;
import java.util.Map;

/** Sums of meters by their {@code plugin} tag, as the status API shows them. */
public final class MeterSums {

    private MeterSums() {
    }

    /**
     * @param registry the registry
     * @param name a meter name: a counter, function counter or gauge
     * @return its values summed over tasks and other tags, by plugin
     */
    public static Map<String, Double> byPlugin(MeterRegistry registry, String name) {
        Map<String, Double> sums = new HashMap<>();
        for (Meter meter : registry.find(name).meters()) {
            String plugin = meter.getId().getTag("plugin");
            if (plugin != null) {
                sums.merge(plugin, value(meter), Double::sum);
            }
        }
        return sums;
    }

    /** @return a counter's count or a gauge's value; 0 if it has none or it is NaN */
    static double value(Meter meter) {
        for (Measurement m : meter.measure()) {
            return Double.isNaN(m.getValue()) ? 0 : m.getValue();
        }
        return 0;
    }
}
