package dev.arenaflow.cli.it.support;

import dev.arenaflow.local.KafkaOptions;
import dev.arenaflow.local.LocalKafka;
import dev.arenaflow.local.LocalRegistry;
import dev.arenaflow.local.LocalStack;
import dev.arenaflow.local.LocalStackLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One local broker and registry for all the tests of an IT class: started before the first, stopped
 * after the last. Register it on a static field:
 * {@code @RegisterExtension static final StackPerClass STACK = StackPerClass.start("arenaflow-x-it-");}
 *
 * <p>The work folder is kept after the class, so the servers' logs can be read when a test fails.
 */
public final class StackPerClass implements BeforeAllCallback, AfterAllCallback {

    private final String prefix;
    private final KafkaOptions broker;
    private LocalStack stack;

    private StackPerClass(String prefix, KafkaOptions broker) {
        this.prefix = prefix;
        this.broker = broker;
    }

    /** @param prefix name of the temporary work folder */
    public static StackPerClass start(String prefix) {
        return new StackPerClass(prefix, KafkaOptions.defaults());
    }

    /**
     * For the tests that kill instances: a dead producer's transaction is aborted fast.
     *
     * @param prefix name of the temporary work folder
     */
    public static StackPerClass forKilledInstances(String prefix) {
        return new StackPerClass(prefix, KafkaOptions.defaults().withFastTransactionAbort());
    }

    /**
     * @param prefix name of the temporary work folder
     * @param broker the broker's settings
     */
    public static StackPerClass withBroker(String prefix, KafkaOptions broker) {
        return new StackPerClass(prefix, broker);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        stack = LocalStack.start(Files.createTempDirectory(prefix), LocalStackLayout.locate(), broker, false);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }

    /** @return the started stack, e.g. for {@link ItApp#settings} */
    public LocalStack get() {
        if (stack == null) {
            throw new IllegalStateException("The stack runs only while the tests of its class do");
        }
        return stack;
    }

    public LocalKafka kafka() {
        return get().kafka();
    }

    public LocalRegistry registry() {
        return get().registry();
    }

    /** @return the stack's work folder, where a test may keep its own files too */
    public Path workDir() {
        return get().workDir();
    }
}
