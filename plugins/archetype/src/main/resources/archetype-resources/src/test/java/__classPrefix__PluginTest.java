#if( $async == "true" )
package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.arenaflow.plugin.testing.OutcomeAssert;
import dev.arenaflow.plugin.testing.PluginHarness;
import dev.arenaflow.plugin.testing.TestRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plugin against a local HTTP service that answers only when the test says so. */
class ${classPrefix}PluginTest {
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private final HttpServer service = serve();
    private final PluginHarness harness = PluginHarness.open(new ${classPrefix}Plugin(), Map.of(${classPrefix}Plugin.URL_TEMPLATE,
            "http://127.0.0.1:" + service.getAddress().getPort() + "/sources/{source}"));

    @Test
    void shouldEmitTheAnswerOnceTheServiceAnswers() {
        OutcomeAssert pending = harness.expect(TestRecord.from("dev 1")).isPending();
        status.complete(200);
        assertEquals("dev 1 is known", pending.completes().emitsOne(${classPrefix}Snapshot.class).getAnswer());
    }

    @Test
    void shouldRetryWhenTheServiceIsDown() {
        OutcomeAssert pending = harness.expect(TestRecord.from("dev-1")).isPending();
        status.complete(503);
        pending.completes().retriesAfter(Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        harness.close();
        service.stop(0);
    }

    /** Answers each lookup with the test's status, once the test has given it. */
    private HttpServer serve() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/sources/", exchange -> {
                String source = exchange.getRequestURI().getPath().substring("/sources/".length());
                byte[] body = (source + " is known").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status.join(), body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
#else
package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.arenaflow.plugin.testing.*;
import org.junit.jupiter.api.Test;

class ${classPrefix}PluginTest {
    @Test
    void shouldCountRecordsPerSource() {
        PluginHarness harness = PluginHarness.open(new ${classPrefix}Plugin());
        harness.expect(TestRecord.from("dev-1"));
        assertEquals(2, harness.expect(TestRecord.from("dev-1")).emitsOne(${classPrefix}Snapshot.class).getCount());
    }
}
#end
