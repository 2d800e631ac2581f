package dev.arenaflow.cli.it.support;

import dev.arenaflow.cli.local.KafkaOptions;
import dev.arenaflow.cli.local.LocalStack;
import dev.arenaflow.cli.local.LocalStackLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The broker and registry of the tests that kill instances: a dead producer's transaction is aborted fast. */
public final class CrashStack {

    private CrashStack() {
    }

    /**
     * @param prefix name of the temporary work folder
     * @return a started stack; its work folder is {@link LocalStack#workDir()}
     */
    public static LocalStack start(String prefix) throws IOException, InterruptedException {
        return start(prefix, Map.of());
    }

    /**
     * @param prefix name of the temporary work folder
     * @param brokerConfig further broker settings
     * @return a started stack; its work folder is {@link LocalStack#workDir()}
     */
    public static LocalStack start(String prefix, Map<String, String> brokerConfig)
            throws IOException, InterruptedException {
        Path work = Files.createTempDirectory(prefix);
        // Transactions of killed producers are aborted within about 6 s, not 20.
        KafkaOptions options = KafkaOptions.defaults()
                .withConfig("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        for (Map.Entry<String, String> e : brokerConfig.entrySet()) {
            options = options.withConfig(e.getKey(), e.getValue());
        }
        return LocalStack.start(work, LocalStackLayout.locate(), options, false);
    }
}
