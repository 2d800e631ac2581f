package dev.arenaflow.cli.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One reading of an instance's {@code /metrics}, in Prometheus's text format, as Prometheus
 * itself would scrape it.
 */
public final class PrometheusScrape {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private final String text;

    private PrometheusScrape(String text) {
        this.text = text;
    }

    /**
     * @param metrics the endpoint's {@code /metrics} address
     * @return what it answered
     * @throws UncheckedIOException if it did not answer 200
     */
    public static PrometheusScrape of(URI metrics) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(metrics).timeout(TIMEOUT).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
            }
            return new PrometheusScrape(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("scraping " + metrics + " failed", e);
        }
    }

    /**
     * @param series a series name, e.g. {@code arenaflow_plugin_restored_entries}
     * @param label one of its labels, e.g. {@code task}
     * @return the series' samples summed by the value of that label; empty if it has none
     */
    public Map<String, Double> sumBy(String series, String label) {
        Pattern sample = Pattern.compile("^" + Pattern.quote(series) + "\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
        Pattern labelValue = Pattern.compile("(?:^|,)" + Pattern.quote(label) + "=\"([^\"]*)\"");
        Map<String, Double> sums = new TreeMap<>();
        Matcher m = sample.matcher(text);
        while (m.find()) {
            Matcher value = labelValue.matcher(m.group(1));
            if (value.find()) {
                sums.merge(value.group(1), Double.parseDouble(m.group(2)), Double::sum);
            }
        }
        return sums;
    }
}
