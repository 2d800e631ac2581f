package dev.arenaflow.plugins.enrich;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A lookup URL with a {@code {source}} placeholder, such as
 * {@code http://127.0.0.1:8089/sources/{source}}. Immutable and thread-safe.
 *
 * <p>A valid template is an absolute http or https URL with a host, no user info and no fragment,
 * and has the placeholder in its path or query, never in its host. Error messages show the template
 * without its query and user info, since either may hold a secret.
 */
public final class UrlTemplate {

    /** The placeholder that {@link #expand} replaces with the URL-encoded source. */
    public static final String PLACEHOLDER = "{source}";

    private final String template;
    private final String host;

    private UrlTemplate(String template, String host) {
        this.template = template;
        this.host = host;
    }

    /**
     * Parses and validates a template.
     *
     * @param key the configuration key, for the error message
     * @param template the template; null is rejected
     * @return the template
     * @throws ConfigException naming the key if the template is not valid
     */
    public static UrlTemplate parse(String key, String template) {
        if (template == null || !template.contains(PLACEHOLDER)) {
            throw invalid(key, template, "must contain " + PLACEHOLDER);
        }
        URI a = toUri(key, template, "a");
        URI b = toUri(key, template, "b");
        String scheme = a.getScheme() == null ? "" : a.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(key, template, "must be an http or https URL");
        }
        if (a.getHost() == null || a.getRawUserInfo() != null || a.getRawFragment() != null) {
            throw invalid(key, template, "must name a host, with no user info and no fragment");
        }
        if (!Objects.equals(a.getRawAuthority(), b.getRawAuthority())) {
            throw invalid(key, template, PLACEHOLDER + " must be in the path or query, not the host");
        }
        return new UrlTemplate(template, a.getPort() < 0 ? a.getHost() : a.getHost() + ":" + a.getPort());
    }

    /**
     * A {@link ConfigDef.Validator} that accepts what {@link #parse} accepts.
     *
     * @return the validator
     */
    public static ConfigDef.Validator validator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                parse(name, (String) value);
            }

            @Override
            public String toString() {
                return "an http or https URL containing " + PLACEHOLDER;
            }
        };
    }

    /**
     * Builds the lookup URL of one source.
     *
     * @param source the source; any string
     * @return the template with every placeholder replaced by the source, percent-encoded as UTF-8
     *     so that it stays one path segment or query value ({@code /} and spaces included)
     */
    public URI expand(String source) {
        return URI.create(template.replace(PLACEHOLDER, encode(source)));
    }

    /** @return the host and explicit port, safe to put in error messages */
    public String host() {
        return host;
    }

    @Override
    public String toString() {
        return redact(template);
    }

    private static String encode(String source) {
        // URLEncoder writes a space as '+', which means '+' in a path; '+' itself becomes %2B.
        return URLEncoder.encode(source, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static URI toUri(String key, String template, String source) {
        try {
            return new URI(template.replace(PLACEHOLDER, source));
        } catch (URISyntaxException e) {
            throw invalid(key, template, "is not a valid URL: " + e.getReason());
        }
    }

    private static ConfigException invalid(String key, String template, String reason) {
        return new ConfigException(key, template == null ? null : redact(template), reason);
    }

    private static String redact(String template) {
        int query = template.indexOf('?');
        String noQuery = query < 0 ? template : template.substring(0, query) + "?...";
        return noQuery.replaceFirst("//[^/]*@", "//...@");
    }
}
