package dev.arenaflow.topology;

import dev.arenaflow.topology.registry.RegistryAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits at start-up until the schema registry answers HTTP and something listens at
 * {@code bootstrap.servers}, so that a dependency still starting (the usual order in a cluster that comes up
 * at once) delays the instance instead of failing it, and one that never comes ends start-up
 * with one line naming the setting, not a stack trace after the admin client's timeout.
 *
 * <p>Only reachability is checked: any HTTP answer, even 401 or 404, means the registry is up,
 * and a TLS or SASL handshake is left to the clients, which report their own errors.
 */
final class StartupProbe {

    private static final Logger LOG = LoggerFactory.getLogger(StartupProbe.class);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PAUSE = Duration.ofMillis(250);
    private static final Duration REMIND_EVERY = Duration.ofSeconds(10);

    private StartupProbe() {
    }

    /**
     * @param settings the validated settings
     * @throws DependencyUnavailableException if the registry does not answer, or no broker listens, in time
     */
    static void awaitDependencies(ArenaflowSettings settings) throws InterruptedException {
        Duration wait = settings.config().startupWait();
        String url = settings.config().getString(ArenaflowConfig.REGISTRY_URL);
        String shown = RegistryAddress.shown(url);
        HttpClient http = HttpClient.newBuilder().connectTimeout(ATTEMPT_TIMEOUT).build();
        if (!await("the schema registry at " + ArenaflowConfig.REGISTRY_URL + "=" + shown, wait,
                () -> answers(http, url))) {
            throw new DependencyUnavailableException(DependencyUnavailableException.Dependency.REGISTRY,
                    "the schema registry at " + ArenaflowConfig.REGISTRY_URL + "=" + shown + " did not answer within "
                            + wait.toMillis() + " ms (" + ArenaflowConfig.STARTUP_WAIT_MS + ")");
        }
        String bootstrap = settings.properties().getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        List<InetSocketAddress> brokers = addresses(bootstrap);
        if (!await("a broker at " + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG + "=" + bootstrap, wait,
                () -> brokers.stream().anyMatch(StartupProbe::listens))) {
            throw new DependencyUnavailableException(DependencyUnavailableException.Dependency.BROKER,
                    "no broker reachable at " + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG + "=" + bootstrap
                            + " within " + wait.toMillis() + " ms (" + ArenaflowConfig.STARTUP_WAIT_MS + ")");
        }
    }

    private static List<InetSocketAddress> addresses(String bootstrap) {
        return java.util.Arrays.stream(bootstrap.split(","))
                .map(String::trim).filter(entry -> !entry.isEmpty())
                .map(entry -> entry.contains("://") ? entry.substring(entry.indexOf("://") + 3) : entry)
                .map(hostPort -> InetSocketAddress.createUnresolved(Utils.getHost(hostPort), Utils.getPort(hostPort)))
                .toList();
    }

    private static boolean listens(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()),
                    (int) ATTEMPT_TIMEOUT.toMillis());
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean answers(HttpClient http, String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(ATTEMPT_TIMEOUT).GET().build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            // A registry still starting behind a proxy answers 502/503; anything else is a server that is there.
            return status != 502 && status != 503 && status != 504;
        } catch (javax.net.ssl.SSLException e) {
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean await(String what, Duration wait, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        long nextReminder = start;
        while (!condition.getAsBoolean()) {
            long now = System.nanoTime();
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted while waiting for " + what);
            }
            if (now >= deadline) {
                return false;
            }
            if (now >= nextReminder) {
                LOG.warn("Waiting for {} ({} ms left of {}={})", what, Duration.ofNanos(deadline - now).toMillis(),
                        ArenaflowConfig.STARTUP_WAIT_MS, wait.toMillis());
                nextReminder = now + REMIND_EVERY.toNanos();
            }
            Thread.sleep(PAUSE.toMillis());
        }
        return true;
    }
}
