package dev.arenaflow.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.cli.it.support.CliProcess;
import dev.arenaflow.cli.it.support.FlakyPlugin;
import dev.arenaflow.cli.it.support.ItApp;
import dev.arenaflow.cli.it.support.StackPerClass;
import dev.arenaflow.ops.OperationsEndpoint;
import dev.arenaflow.record.RawRecordWriter;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginCatalog;
import dev.arenaflow.topology.SnapshotSerdes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page of a running instance, in real headless Chromium (Debian's {@code chromium},
 * driven through Debian's {@code chromedriver}; nothing is downloaded): a row per plugin, counts
 * that change while records flow, a plugin that turns {@code paused} after {@code plugins pause},
 * and a throughput chart with its line drawn. A screenshot goes to {@code target/status-page.png}.
 */
class StatusPageIT {

    private static final String APP = "status-page-it";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String CHROMIUM = "/usr/bin/chromium";
    /** The page draws records in/s in this colour, #0969da. */
    private static final String COUNT_LINE_PIXELS = """
            const canvas = document.querySelector('#chart canvas');
            if (!canvas) { return -1; }
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let n = 0;
            for (let i = 0; i < data.length; i += 4) {
              if (data[i + 3] > 0 && Math.abs(data[i] - 9) < 40 && Math.abs(data[i + 1] - 105) < 40
                  && Math.abs(data[i + 2] - 218) < 40) { n++; }
            }
            return n;""";

    @RegisterExtension
    static final StackPerClass STACK = StackPerClass.start("arenaflow-status-page-it-");

    @Test
    void shouldShowEveryPluginLiveAndAPauseInHeadlessChromium() throws Exception {
        STACK.kafka().createTopics(Map.of(APP + ".raw", 2));
        Properties props = ItApp.settings(STACK.get(), APP, StreamsConfig.EXACTLY_ONCE_V2, STACK.workDir().resolve("state"));
        props.put(ArenaflowConfig.PLUGINS, "session," + FlakyPlugin.NAME);
        props.put(ArenaflowConfig.HTTP_PORT, "0");
        props.put(ArenaflowConfig.HTTP_BIND_ADDRESS, "127.0.0.1");
        Path config = STACK.workDir().resolve(APP + ".properties");
        try (var out = Files.newBufferedWriter(config)) {
            props.store(out, null);
        }
        PrometheusMeterRegistry meters = OperationsEndpoint.newRegistry(APP);
        ArenaflowSettings settings = ArenaflowSettings.validate(props, PluginCatalog.load(getClass().getClassLoader()));
        try (ArenaflowApplication app = ArenaflowApplication.create(settings, SnapshotSerdes.serializer(props), meters);
             OperationsEndpoint ops = OperationsEndpoint.start(app, meters);
             Feed feed = new Feed(APP + ".raw")) {
            app.start();
            assertThat(app.awaitRunning(WAIT)).isTrue();
            feed.start();
            WebDriver browser = chromium();
            try {
                browser.get(ops.url());
                WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(200));
                wait.until(b -> !cells(b, "session", "records-in").isEmpty() && !cells(b, "flaky", "records-in").isEmpty());
                long before = count(browser, "session", "records-in");
                wait.until(b -> count(b, "session", "records-in") > before && count(b, "flaky", "snapshots-out") > 0);
                assertThat(text(browser, "session", "state")).isEqualTo("enabled");

                CliProcess.Result pause = CliProcess.run(STACK.workDir(), "plugins-pause", List.of("plugins", "pause",
                        FlakyPlugin.NAME, "--reason", "StatusPageIT", "--config", config.toString()));
                assertThat(pause.exitCode()).as(pause.stderr()).isZero();
                wait.until(b -> text(b, "flaky", "state").equals("paused"));
                wait.until(b -> text(b, "flaky", "wanted").equals("paused (StatusPageIT)"));
                assertThat(text(browser, "session", "state")).isEqualTo("enabled");
                long sessionIn = count(browser, "session", "records-in");
                wait.until(b -> count(b, "session", "records-in") > sessionIn);

                wait.until(b -> ((Number) ((JavascriptExecutor) b).executeScript(COUNT_LINE_PIXELS)).intValue() > 20);
                screenshot(browser);
            } finally {
                browser.quit();
            }
        }
    }

    private static WebDriver chromium() throws Exception {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort()
                .withLogFile(STACK.workDir().resolve("chromedriver.log").toFile()).build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory(STACK.workDir(), "chromium-"));
        return new ChromeDriver(service, options);
    }

    private static List<org.openqa.selenium.WebElement> cells(WebDriver browser, String plugin, String column) {
        return browser.findElements(By.cssSelector("tr[data-plugin='" + plugin + "'] td." + column));
    }

    private static String text(WebDriver browser, String plugin, String column) {
        List<org.openqa.selenium.WebElement> cells = cells(browser, plugin, column);
        try {
            return cells.isEmpty() ? "" : cells.get(0).getText();
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return "";
        }
    }

    private static long count(WebDriver browser, String plugin, String column) {
        String text = text(browser, plugin, column).replace(",", "");
        return text.isEmpty() ? -1 : Long.parseLong(text);
    }

    private static void screenshot(WebDriver browser) throws Exception {
        Path shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", "status-page.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes records of 8 sources, about 100 a second, until closed. */
    private static final class Feed implements AutoCloseable {
        private final String topic;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Feed(String topic) {
            this.topic = topic;
            this.thread = new Thread(this::run, "status-page-it-feed");
        }

        void start() {
            thread.start();
        }

        private void run() {
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.kafka().bootstrapServers(),
                    ProducerConfig.LINGER_MS_CONFIG, "5"), new ByteArraySerializer(), new ByteArraySerializer())) {
                for (long i = 0; running.get(); i++) {
                    String source = "dev-" + (i % 8);
                    producer.send(new ProducerRecord<>(topic, source.getBytes(StandardCharsets.UTF_8),
                            RawRecordWriter.encode(4, System.currentTimeMillis(), i / 8 + 1, source, new byte[] {0},
                                    true)));
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            if (thread.isAlive()) {
                thread.join();
            }
        }
    }
}
