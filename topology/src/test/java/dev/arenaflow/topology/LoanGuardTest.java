package dev.arenaflow.topology;

import static dev.arenaflow.topology.plugins.KeepsLoanPlugin.TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.topology.plugins.KeepsLoanPlugin;
import dev.arenaflow.topology.testing.ArenaflowDriver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A plugin that uses its borrowed view or message context after its call gets a failed attempt whose
 * dead letter names the misuse, and never another record's bytes.
 */
class LoanGuardTest {

    private static final Duration TICK = Duration.ofMillis(50);

    private final ExecutorService stageThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "stage"));
    private ArenaflowDriver driver;

    @BeforeEach
    void reset() {
        KeepsLoanPlugin.reset();
    }

    @AfterEach
    void stop() {
        stageThread.shutdownNow();
        if (driver != null) {
            driver.close();
        }
    }

    private void start(String guard) {
        // One attempt, so the first failure is the dead letter this test reads.
        driver = new ArenaflowDriver(Map.of(ArenaflowConfig.PLUGINS, "keeps", ArenaflowConfig.LOAN_GUARD, guard,
                "plugin.keeps.retry.max.attempts", "1"));
    }

    @Test
    void shouldDeadLetterTheNextRecordWhenTheViewKeptInAFieldIsReadUnderStrict() {
        start("strict");
        driver.send("a", 1, TYPE, KeepsLoanPlugin.KEEP_VIEW);
        driver.send("a", 2, TYPE, KeepsLoanPlugin.PLAIN);

        assertThat(errorMessages()).singleElement().asString()
                .contains("PLUGIN_EXCEPTION: RawRecordView used after release");
    }

    @Test
    void shouldDeadLetterTheNextRecordWhenTheContextKeptInAFieldIsReadUnderStrict() {
        start("strict");
        driver.send("a", 1, TYPE, KeepsLoanPlugin.KEEP_CONTEXT);
        driver.send("a", 2, TYPE, KeepsLoanPlugin.PLAIN);

        assertThat(errorMessages()).singleElement().asString()
                .contains("PLUGIN_EXCEPTION: MessageContext of plugin keeps used after its loan");
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread", "strict"})
    void shouldFailAStageThatReadsTheViewAfterTheNextRecord(String guard) {
        start(guard);
        driver.send("a", 1, TYPE, KeepsLoanPlugin.VIEW_LATER);
        driver.send("b", 1, TYPE, KeepsLoanPlugin.PLAIN);

        openGateOnStageThread();

        TestRecord<byte[], byte[]> letter = singleDeadLetter();
        assertThat(ArenaflowDriver.header(letter, DeadLetterHeaders.ERROR_MESSAGE))
                .contains("PLUGIN_EXCEPTION: RawRecordView used on thread stage but wrapped on thread");
        assertThat(ArenaflowDriver.header(letter, DeadLetterHeaders.ERROR_CLASS))
                .isEqualTo(IllegalStateException.class.getName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread", "strict"})
    void shouldFailAStageThatReadsTheContextAfterTheNextRecord(String guard) {
        start(guard);
        driver.send("a", 1, TYPE, KeepsLoanPlugin.CONTEXT_LATER);
        driver.send("b", 1, TYPE, KeepsLoanPlugin.PLAIN);

        openGateOnStageThread();

        assertThat(errorMessages()).singleElement().asString()
                .contains("PLUGIN_EXCEPTION: MessageContext of plugin keeps used on thread stage but lent on thread");
    }

    @Test
    void shouldRejectAnUnknownLevelAtStartUp() {
        assertThatThrownBy(() -> start("loose"))
                .hasMessageContaining(ArenaflowConfig.LOAN_GUARD).hasMessageContaining("loose");
    }

    /**
     * The stage runs, and arenaflow's completion callback queues its failure, on the stage thread
     * before {@code complete} returns there; joining that call is the condition to wait on.
     */
    private void openGateOnStageThread() {
        CompletableFuture.runAsync(() -> KeepsLoanPlugin.gate.complete(null), stageThread).join();
        driver.advance(TICK);
    }

    /** Reads the plugin's dead-letter topic, which the read drains: call it once per test. */
    private List<String> errorMessages() {
        return driver.deadLetters("keeps").stream().map(r -> ArenaflowDriver.header(r, DeadLetterHeaders.ERROR_MESSAGE))
                .toList();
    }

    private TestRecord<byte[], byte[]> singleDeadLetter() {
        List<TestRecord<byte[], byte[]>> letters = driver.deadLetters("keeps");
        assertThat(letters).hasSize(1);
        return letters.get(0);
    }
}
