package dev.arenaflow.plugins.enrich;

import java.time.Duration;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The enrich plugin's settings: the {@code plugin.enrich.*} properties, without that prefix.
 * Immutable.
 */
public final class EnrichConfig {

    /** The lookup URL, with {@code {source}} where the URL-encoded source goes. Required. */
    public static final String URL_TEMPLATE_CONFIG = "url.template";
    /** How long one HTTP request may take, connecting included. */
    public static final String REQUEST_TIMEOUT_MS_CONFIG = "request.timeout.ms";
    /** How many HTTP requests of one plugin instance may be open at once; the rest wait in the plugin. */
    public static final String MAX_CONCURRENT_REQUESTS_CONFIG = "max.concurrent.requests";
    /** The delay of the retry outcome after a timeout, a connection failure or a 5xx response. */
    public static final String RETRY_DELAY_MS_CONFIG = "retry.delay.ms";
    /** The largest 200 response body accepted. */
    public static final String MAX_RESPONSE_BYTES_CONFIG = "max.response.bytes";

    private final UrlTemplate urlTemplate;
    private final Duration requestTimeout;
    private final int maxConcurrentRequests;
    private final Duration retryDelay;
    private final int maxResponseBytes;

    /**
     * Reads the settings from a configuration parsed with {@link #configDef()}.
     *
     * @param config the parsed configuration
     * @throws org.apache.kafka.common.config.ConfigException if the URL template is not valid
     */
    public EnrichConfig(AbstractConfig config) {
        this.urlTemplate = UrlTemplate.parse(URL_TEMPLATE_CONFIG, config.getString(URL_TEMPLATE_CONFIG));
        this.requestTimeout = Duration.ofMillis(config.getInt(REQUEST_TIMEOUT_MS_CONFIG));
        this.maxConcurrentRequests = config.getInt(MAX_CONCURRENT_REQUESTS_CONFIG);
        this.retryDelay = Duration.ofMillis(config.getLong(RETRY_DELAY_MS_CONFIG));
        this.maxResponseBytes = config.getInt(MAX_RESPONSE_BYTES_CONFIG);
    }

    /**
     * The definition of the settings, with their defaults and validators.
     *
     * @return a new definition
     */
    public static ConfigDef configDef() {
        return new ConfigDef()
                .define(URL_TEMPLATE_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, UrlTemplate.validator(),
                        Importance.HIGH, "The lookup URL, e.g. http://127.0.0.1:8089/sources/{source}; "
                                + "{source} is replaced by the URL-encoded source.")
                .define(REQUEST_TIMEOUT_MS_CONFIG, Type.INT, 2_000, Range.atLeast(1), Importance.MEDIUM,
                        "How long one lookup may take, connecting included, before it is retried. Keep it "
                                + "below the plugin's timeout.ms.")
                .define(MAX_CONCURRENT_REQUESTS_CONFIG, Type.INT, 64, Range.atLeast(1), Importance.MEDIUM,
                        "How many lookups of one plugin instance may be open at once; further ones wait "
                                + "inside the plugin, without blocking the stream thread.")
                .define(RETRY_DELAY_MS_CONFIG, Type.LONG, 1_000L, Range.atLeast(0), Importance.LOW,
                        "The least delay before a lookup that timed out, could not connect or got a 5xx, "
                                + "408 or 429 is tried again.")
                .define(MAX_RESPONSE_BYTES_CONFIG, Type.INT, 65_536, Range.atLeast(1), Importance.LOW,
                        "The largest lookup response body accepted; a larger one is a BAD_LOOKUP_RESPONSE.");
    }

    /** @return the validated URL template */
    public UrlTemplate urlTemplate() {
        return urlTemplate;
    }

    /** @return the timeout of one request */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** @return the most requests open at once, at least 1 */
    public int maxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    /** @return the delay of retry outcomes */
    public Duration retryDelay() {
        return retryDelay;
    }

    /** @return the largest body accepted, in bytes */
    public int maxResponseBytes() {
        return maxResponseBytes;
    }
}
