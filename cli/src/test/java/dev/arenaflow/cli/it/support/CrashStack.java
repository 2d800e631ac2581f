package dev.arenaflow.cli.it.support;

import dev.arenaflow.cli.local.KafkaOptions;
import dev.arenaflow.cli.local.LocalStack;
import dev.arenaflow.cli.local.LocalStackLayout;
import java.io.IOException;
import java.nio.file.Files;

/** The broker and registry of the tests that kill instances: a dead producer's transaction is aborted fast. */
public final class CrashStack {

    private CrashStack() {
    }

    /**
     * @param prefix name of the temporary work folder
     * @return a started stack; its work folder is {@link LocalStack#workDir()}
     */
    public static LocalStack start(String prefix) throws IOException, InterruptedException {
        return start(prefix, KafkaOptions.defaults().withFastTransactionAbort());
    }

    /**
     * @param prefix name of the temporary work folder
     * @param broker the broker's settings
     * @return a started stack; its work folder is {@link LocalStack#workDir()}
     */
    public static LocalStack start(String prefix, KafkaOptions broker) throws IOException, InterruptedException {
        return LocalStack.start(Files.createTempDirectory(prefix), LocalStackLayout.locate(), broker, false);
    }
}
