package dev.arenaflow.plugins.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.plugin.testing.PluginHarness;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlTemplateTest {

    @Test
    void shouldRejectTemplateWithoutPlaceholderWhenPluginOpens() {
        assertThatThrownBy(() -> PluginHarness.open(new EnrichPlugin(),
                Map.of(EnrichConfig.URL_TEMPLATE_CONFIG, "http://127.0.0.1:8089/sources/")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("url.template")
                .hasMessageContaining("must contain {source}");
    }

    @Test
    void shouldRequireUrlTemplate() {
        assertThatThrownBy(() -> PluginHarness.open(new EnrichPlugin(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("url.template");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://h/{source}", "/sources/{source}", "http://{source}.example.com/x",
        "http://u:pw@h/{source}", "http://h/{source}#frag", "http://h/{source} x", "http:///{source}"})
    void shouldRejectTemplateThatIsNotAnHttpUrlWithSourceInPathOrQuery(String template) {
        assertThatThrownBy(() -> UrlTemplate.parse("url.template", template))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("url.template");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1"})
    void shouldRejectNonPositiveLimits(String value) {
        assertThatThrownBy(() -> new AbstractConfig(EnrichConfig.configDef(), Map.of(
                EnrichConfig.URL_TEMPLATE_CONFIG, "http://h/{source}",
                EnrichConfig.MAX_CONCURRENT_REQUESTS_CONFIG, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(EnrichConfig.MAX_CONCURRENT_REQUESTS_CONFIG);
    }

    @Test
    void shouldNotShowQueryOrUserInfoInErrors() {
        assertThatThrownBy(() -> UrlTemplate.parse("url.template", "ftp://u:pw@h/{source}?token=s3cr3t"))
                .isInstanceOf(ConfigException.class)
                .hasMessageNotContaining("s3cr3t")
                .hasMessageNotContaining("pw");
    }

    @Test
    void shouldAcceptSourceInQueryAndKeepTheRestOfTheTemplate() {
        UrlTemplate template = UrlTemplate.parse("url.template", "HTTPS://lookup.example:8443/v1?id={source}&x=1");

        assertThat(template.expand("a b/c").toString()).isEqualTo("HTTPS://lookup.example:8443/v1?id=a%20b%2Fc&x=1");
        assertThat(template.host()).isEqualTo("lookup.example:8443");
    }

    @Test
    void shouldApplyDefaults() {
        EnrichConfig config = new EnrichConfig(new AbstractConfig(EnrichConfig.configDef(),
                Map.of(EnrichConfig.URL_TEMPLATE_CONFIG, "http://h/{source}")));

        assertThat(config.requestTimeout().toMillis()).isEqualTo(2_000);
        assertThat(config.maxConcurrentRequests()).isEqualTo(64);
        assertThat(config.retryDelay().toMillis()).isEqualTo(1_000);
        assertThat(config.maxResponseBytes()).isEqualTo(65_536);
        assertThat(config.urlTemplate().host()).isEqualTo("h");
    }
}
