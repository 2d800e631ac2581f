package dev.arenaflow.topology.registry;

import java.net.URI;
import java.net.URISyntaxException;

/** The registry's URL as it may be shown in logs and status: without any credentials written into it. */
public final class RegistryAddress {

    private RegistryAddress() {
    }

    /**
     * @param url the configured registry URL, e.g. {@code https://user:secret@host/apis/registry/v2}
     * @return the URL without user information and query, e.g. {@code https://host/apis/registry/v2}
     */
    public static String shown(String url) {
        try {
            URI uri = new URI(url);
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException | RuntimeException e) {
            return "(the registry URL in arenaflow.registry.url, not shown: it is not a valid URI)";
        }
    }
}
