package dev.arenaflow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** Names that would fail {@code promtool check metrics} are renamed or left out of the scrape. */
class PrometheusConventionsTest {

    private final PrometheusMeterRegistry registry = OperationsEndpoint.newRegistry("conventions-test");

    @Test
    void shouldLeaveOutNamesAndUnitsWithAbbreviatedUnits() {
        FunctionCounter.builder("kafka.consumer.io.time.ns.total", this, t -> 1).register(registry);
        Gauge.builder("kafka.app.info.start.time.ms", () -> 1).register(registry);
        FunctionCounter.builder("process.cpu.time", this, t -> 1).baseUnit("ns").register(registry);
        Gauge.builder("kafka.consumer.node.request.latency.avg", () -> 1).register(registry);
        Counter.builder("arenaflow.plugin.snapshots.out").register(registry).increment();
        assertThat(registry.scrape()).doesNotContain("_ns").doesNotContain("_ms")
                .doesNotContain("node_request_latency").contains("arenaflow_plugin_snapshots_out_total");
    }

    @Test
    void shouldRenameGaugesEndingInCount() {
        Gauge.builder("kafka.consumer.connection.count", () -> 3).register(registry);
        Gauge.builder("system.cpu.count", () -> 2).register(registry);
        assertThat(registry.scrape()).contains("kafka_consumer_connections{").contains("system_cpus{")
                .doesNotContain("connection_count").doesNotContain("cpu_count");
    }
}
