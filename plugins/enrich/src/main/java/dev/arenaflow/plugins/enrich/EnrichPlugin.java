package dev.arenaflow.plugins.enrich;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.plugins.enrich.internal.Lookup;
import dev.arenaflow.plugins.enrich.internal.LookupClient;
import dev.arenaflow.plugins.enrich.internal.LookupGate;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.schemas.EnrichedSnapshot;
import dev.arenaflow.schemas.SnapshotMeta;
import java.net.URI;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The built-in {@code enrich} plugin: looks each record's source up over HTTP and emits one
 * {@link EnrichedSnapshot} with the attributes the lookup returned. It accepts every type and keeps
 * no state.
 *
 * <p><b>Configuration</b> ({@code plugin.enrich.*}, see {@link EnrichConfig}): {@code url.template}
 * (required; an http or https URL where {@code {source}} stands for the URL-encoded source),
 * {@code request.timeout.ms} (2000), {@code max.concurrent.requests} (64), {@code retry.delay.ms}
 * (1000) and {@code max.response.bytes} (65536). Time spent queued behind the concurrency limit is
 * not part of {@code request.timeout.ms} but does count toward arenaflow's own
 * {@code plugin.enrich.timeout.ms}, which should therefore be well above it.
 *
 * <p><b>Outcomes.</b> Every lookup ends in an outcome; the stage never completes exceptionally for
 * the cases below:
 * <ul>
 *   <li>200 with a JSON object body: emit; the object's top-level fields become {@code attributes},
 *       strings as they are and other values as their JSON text;
 *   <li>200 with any other body, or one over {@code max.response.bytes}: fail
 *       {@code BAD_LOOKUP_RESPONSE};
 *   <li>404: fail {@code UNKNOWN_SOURCE};
 *   <li>408, 429 and 5xx, a timeout or a connection failure: retry after {@code retry.delay.ms};
 *       408 and 429 are 4xx codes but mean "not now", so they are retried rather than rejected;
 *   <li>any other 4xx: fail {@code LOOKUP_REJECTED}; any other status: fail {@code BAD_LOOKUP_RESPONSE}.
 * </ul>
 * Error messages name the host and the status or exception class, never the URL's path or query.
 *
 * <p>Threading notes: arenaflow calls {@link #open}, {@link #handle} and {@link #close} on the stream
 * thread. {@code handle} copies the snapshot's meta, the source and the payload length out of the
 * borrowed view and message, starts the request or queues it behind {@code max.concurrent.requests}
 * running ones, and returns at once; it never waits for I/O. Responses are read and mapped on the
 * plugin's own two HTTP client threads (a lookup past {@code request.timeout.ms} is completed by the
 * JDK's delay thread), which also start queued requests. That is safe because they only build owned
 * Avro records from the copied values: they never see the view, the message context, state or any
 * Kafka Streams object, and arenaflow hands the outcome to the stream thread.
 *
 * <p>Each stream task has its own instance, so each task has its own client, connections, threads
 * and limit of {@code max.concurrent.requests}.
 */
public final class EnrichPlugin implements Plugin {

    /** The plugin's name. */
    public static final String NAME = "enrich";

    private EnrichConfig config;
    private LookupClient client;
    private LookupGate gate;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigDef configDef() {
        return EnrichConfig.configDef();
    }

    @Override
    public void open(PluginContext context) {
        config = new EnrichConfig(context.config());
        client = LookupClient.open(config);
        gate = new LookupGate(config.maxConcurrentRequests());
    }

    @Override
    public Outcome handle(RawRecordView view, MessageContext message) {
        SnapshotMeta meta = message.newMeta();
        // The meta holds the source already; view.sourceAsString() would decode a second copy.
        URI uri = config.urlTemplate().expand(meta.getSource());
        long payloadBytes = view.payloadLength();
        LookupClient http = client;
        Lookup lookup = new Lookup(() -> http.lookup(uri, meta, payloadBytes));
        gate.submit(lookup);
        return Outcome.later(lookup.outcome());
    }

    /** Completes lookups still queued or running with a retry, then stops the HTTP client's threads. */
    @Override
    public void close() {
        if (gate != null) {
            gate.close(Outcome.retry(config.retryDelay(), "the enrich plugin closed before the lookup completed"));
        }
        if (client != null) {
            client.close();
        }
    }
}
