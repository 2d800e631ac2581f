package dev.arenaflow.topology.registry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this instance has seen of the schema registry, from its own calls: reachable, or in an
 * outage since a given time with the last error. Logs once when an outage starts and once when it
 * ends, however many records wait in between. Readiness, {@code /api/status} and the metrics read it.
 *
 * <p>Threading notes: every stream thread reports to the one instance; readers may be on any thread.
 */
public final class RegistryReachability {

    /** Gauge: 1 while the registry answers this instance's calls, 0 during an outage. */
    public static final String REACHABLE_METER = "arenaflow.registry.reachable";
    /** Counter: outages of the registry this instance has waited out or is waiting out. */
    public static final String OUTAGES_METER = "arenaflow.registry.outages";

    private static final Logger LOG = LoggerFactory.getLogger(RegistryReachability.class);

    /** An outage as seen so far: since when, how many calls failed, and the last error. */
    public record Outage(long sinceMillis, long failedCalls, String lastError) {
    }

    private final String registry;
    private final LongSupplier clock;
    private final AtomicLong outages = new AtomicLong();
    private volatile Outage current;

    /**
     * @param registry the registry's address as it may be shown (no credentials)
     * @param clock epoch milliseconds
     */
    public RegistryReachability(String registry, LongSupplier clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** @param error a call failed because the registry could not answer; starts an outage if none is on */
    public synchronized void failed(String error) {
        Outage outage = current;
        if (outage == null) {
            outages.incrementAndGet();
            current = new Outage(clock.getAsLong(), 1, error);
            LOG.warn("Schema registry {} unreachable ({}); snapshots that need it wait, retrying with backoff, "
                    + "and are written once it answers. Nothing goes to a dead-letter topic for this.", registry, error);
        } else {
            current = new Outage(outage.sinceMillis(), outage.failedCalls() + 1, error);
        }
    }

    /** A call succeeded: ends the outage, if one was on. */
    public void answered() {
        if (current == null) {
            return;
        }
        synchronized (this) {
            Outage outage = current;
            if (outage != null) {
                current = null;
                LOG.info("Schema registry {} answers again after {} ms ({} failed calls); snapshots flow again",
                        registry, clock.getAsLong() - outage.sinceMillis(), outage.failedCalls());
            }
        }
    }

    /** @return the outage going on, if any */
    public Optional<Outage> outage() {
        return Optional.ofNullable(current);
    }

    /** @return how many outages began since start-up */
    public long outages() {
        return outages.get();
    }

    /** @param meters gets {@value #REACHABLE_METER} and {@value #OUTAGES_METER} */
    public void bindMeters(MeterRegistry meters) {
        Gauge.builder(REACHABLE_METER, this, r -> r.outage().isPresent() ? 0 : 1)
                .description("1 while the schema registry answers this instance's calls, 0 during an outage")
                .strongReference(true).register(meters);
        FunctionCounter.builder(OUTAGES_METER, this, RegistryReachability::outages)
                .description("outages of the schema registry this instance has waited out or is waiting out")
                .register(meters);
    }

    /** @return the registry's address as shown in logs and status */
    public String registry() {
        return registry;
    }
}
