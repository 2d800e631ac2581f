#if( $async == "true" )
package ${package};

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.schemas.SnapshotMeta;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigDef;

/** Looks each record's source up over HTTP and emits the answer; 5xx or no answer is retried, another status a dead letter. */
public final class ${classPrefix}Plugin implements Plugin {
    static final String URL_TEMPLATE = "url.template";
    static final String TIMEOUT_MS = "request.timeout.ms";
    private HttpClient http;
    private String template;
    private Duration timeout;

    @Override public String name() { return "${pluginName}"; }

    @Override public ConfigDef configDef() {
        return new ConfigDef()
                .define(URL_TEMPLATE, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.HIGH, "The service's URL; {source} stands for the record's source, URL-encoded.")
                .define(TIMEOUT_MS, ConfigDef.Type.INT, 5_000, ConfigDef.Range.atLeast(1),
                        ConfigDef.Importance.MEDIUM, "How long one call may take; a call past it is retried.");
    }

    @Override public void open(PluginContext context) {
        template = context.config().getString(URL_TEMPLATE);
        timeout = Duration.ofMillis(context.config().getInt(TIMEOUT_MS));
        http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override public Outcome handle(RawRecordView view, MessageContext message) {
        SnapshotMeta meta = message.newMeta();       // copy out now: the view and the message die when handle returns
        String source = URLEncoder.encode(view.sourceAsString(), StandardCharsets.UTF_8).replace("+", "%20");
        HttpRequest request = HttpRequest.newBuilder(URI.create(template.replace("{source}", source))).timeout(timeout).build();
        // The stage completes on the client's thread; arenaflow applies its outcome on the stream thread.
        return Outcome.later(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> outcome(meta, response)));
    }

    private static Outcome outcome(SnapshotMeta meta, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 200) {
            return Outcome.emit(new ${classPrefix}Snapshot(meta, response.body()));
        }
        return status >= 500 ? Outcome.retry(Duration.ofSeconds(1), "lookup answered " + status)
                : Outcome.fail("LOOKUP_REJECTED", "lookup answered " + status);
    }
}
#else
package ${package};

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.plugin.PluginState;
import dev.arenaflow.record.RawRecordView;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.Serdes;

/** Counts each source's records, and flags payloads longer than large.payload.bytes. */
public final class ${classPrefix}Plugin implements Plugin {
    static final String LARGE = "large.payload.bytes";
    private PluginState<Long> counts;
    private int large;

    @Override public String name() { return "${pluginName}"; }
    @Override public boolean keepsState() { return true; }

    @Override public ConfigDef configDef() {
        return new ConfigDef().define(LARGE, ConfigDef.Type.INT, 1024, ConfigDef.Range.atLeast(0),
                ConfigDef.Importance.MEDIUM, "Payloads longer than this many bytes are flagged as large.");
    }

    @Override public void open(PluginContext context) {
        counts = context.state(Serdes.Long());
        large = context.config().getInt(LARGE);
    }

    @Override public Outcome handle(RawRecordView view, MessageContext message) {
        String source = view.sourceAsString();       // copy out what you keep: the view dies when handle returns
        Long before = counts.get(source);
        long count = before == null ? 1 : before + 1;
        counts.put(source, count);
        return Outcome.emit(new ${classPrefix}Snapshot(message.newMeta(), count, view.payloadLength() > large));
    }
}
#end
