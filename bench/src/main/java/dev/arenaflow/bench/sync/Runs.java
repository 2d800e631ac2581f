package dev.arenaflow.bench.sync;

import dev.arenaflow.bench.BenchEnv;
import dev.arenaflow.local.LocalStack;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Runs one pipeline and times it: from {@link Pipeline#start()} until a read_committed consumer
 * has counted every expected output record. Every run gets a fresh application id (so it reads
 * the input from the beginning), its own topics and its own state directory.
 */
final class Runs {

    /** Plugins of the "session" runs. */
    static final List<String> SESSION = List.of("session");
    /** Plugins of the "three" runs: session and two cheap sync bench plugins. */
    static final List<String> THREE = List.of("session", "sync-count", "sync-last");

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final BenchEnv env;
    private int next;

    Runs(BenchEnv env) {
        this.env = env;
    }

    /** @return a passthrough pipeline over the input, not prepared */
    PassthroughPipeline passthrough(InputTopic input, Guarantee guarantee) throws Exception {
        String id = applicationId("passthrough", input, guarantee);
        return new PassthroughPipeline(stack().kafka(), input, guarantee, id, env.work().resolve("state").resolve(id));
    }

    /** @return an arenaflow pipeline with these plugins over the input, not prepared */
    ArenaflowPipeline arenaflow(InputTopic input, Guarantee guarantee, List<String> plugins) throws Exception {
        String id = applicationId(plugins.size() == 1 ? plugins.get(0) : "three", input, guarantee);
        return new ArenaflowPipeline(stack(), input, guarantee, id, env.work().resolve("state").resolve(id), plugins);
    }

    /**
     * Prepares and times the pipeline, and reports its rates as a progress line; the caller closes it.
     *
     * @param what names the run in the progress line
     * @return its rates in input records per second
     */
    Rates time(Pipeline pipeline, InputTopic input, String what) throws Exception {
        pipeline.prepare();
        OutputCounter.Timing t;
        try (OutputCounter counter = new OutputCounter(stack().kafka().bootstrapServers(), pipeline.outputTopics())) {
            long start = System.nanoTime();
            pipeline.start();
            t = counter.await(input.records() * pipeline.outputsPerInput(), start, TIMEOUT);
        }
        Rates rates = new Rates(t.rate(input.records()), t.steadyRate(input.records()));
        BenchEnv.progress(String.format(Locale.ROOT, "%s: %,.0f input records/s; %,.0f over the second half of the"
                + " output (first output after %.2f s, all after %.2f s)", what, rates.total(), rates.steady(),
                t.startSeconds(), t.seconds()));
        return rates;
    }

    /**
     * @param total input records per second from the start until the last output record
     * @param steady the same over the second half of the output only
     */
    record Rates(double total, double steady) {
    }

    /**
     * Checks, after a run, that no record became a dead letter or a retry: the count would then
     * be short, or a rate would include work a sync plugin should not do.
     */
    void checkNoFailures(ArenaflowPipeline pipeline) throws Exception {
        long failed = TopicSize.endOffsets(stack().kafka(), pipeline.failureTopics());
        if (failed != 0) {
            throw new IllegalStateException(failed + " records went to dead-letter or retry topics of "
                    + pipeline.outputTopics());
        }
    }

    /** @return the changelog writes of the session plugin in a closed run */
    ChangelogSample changelogs(ArenaflowPipeline pipeline, InputTopic input, String label) throws Exception {
        return new ChangelogSample(label, input.records(),
                TopicSize.of(stack().kafka(), pipeline.arenaChangelog("session")),
                TopicSize.of(stack().kafka(), pipeline.stateChangelog("session")));
    }

    LocalStack stack() throws Exception {
        return env.stack();
    }

    private String applicationId(String kind, InputTopic input, Guarantee guarantee) {
        return "bench-" + (next++) + "-" + kind + "-" + guarantee.shortName + "-p" + input.partitions();
    }
}
