package dev.arenaflow.bench.sync;

import java.util.List;

/** Something that reads an {@link InputTopic} and writes records for each input record: one timed run. */
interface Pipeline extends AutoCloseable {

    /** Creates what must exist before timing starts: the output topics, so the counter can assign them. */
    void prepare() throws Exception;

    /** @return the topics whose records are counted */
    List<String> outputTopics();

    /** @return output records per input record, over all of {@link #outputTopics()} */
    int outputsPerInput();

    /** Starts processing; timing starts just before this call. */
    void start() throws Exception;

    /** Stops and releases everything; not timed. */
    @Override
    void close();
}
