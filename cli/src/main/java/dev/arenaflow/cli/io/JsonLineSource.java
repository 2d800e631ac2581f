package dev.arenaflow.cli.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads JSON lines ({@link JsonRecordLine}) from a stream on a daemon thread and hands the results
 * over through a bounded queue. The producing thread therefore never blocks on input it cannot
 * interrupt, so Ctrl-C stops it promptly even when standard input is an idle terminal.
 *
 * <p>Threading notes: the reader thread only reads, parses and puts into the queue; {@link #next}
 * and {@link #close} belong to the one consuming thread. A line ends at {@code '\n'}; a
 * {@code '\r'} before it is dropped and a last line without one still counts.
 */
public final class JsonLineSource implements RecordSource {

    private static final int QUEUE_CAPACITY = 1024;
    private static final int BUFFER_SIZE = 1 << 16;
    private static final int INITIAL_LINE_SIZE = 256;

    private final InputStream in;
    private final BlockingQueue<SourceItem> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread reader;
    private volatile boolean closed;

    private JsonLineSource(InputStream in) {
        this.in = in;
        this.reader = new Thread(this::readAll, "arenaflow-stdin-reader");
        reader.setDaemon(true);
    }

    /**
     * Starts reading.
     *
     * @param in the input, not closed by this source
     * @return the running source
     */
    public static JsonLineSource start(InputStream in) {
        JsonLineSource source = new JsonLineSource(in);
        source.reader.start();
        return source;
    }

    @Override
    public SourceItem next(long timeoutMillis) throws InterruptedException {
        return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        reader.interrupt();
    }

    private void readAll() {
        try {
            splitLines();
            put(SourceItem.END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void splitLines() throws InterruptedException {
        byte[] buffer = new byte[BUFFER_SIZE];
        byte[] line = new byte[INITIAL_LINE_SIZE];
        int length = 0;
        long number = 0;
        int read;
        while ((read = read(buffer, number + 1)) > 0) {
            for (int i = 0; i < read; i++) {
                if (buffer[i] == '\n') {
                    put(parse(line, length, ++number));
                    length = 0;
                } else {
                    line = length == line.length ? Arrays.copyOf(line, length * 2) : line;
                    line[length++] = buffer[i];
                }
            }
        }
        if (length > 0) {
            put(parse(line, length, number + 1));
        }
    }

    private int read(byte[] buffer, long lineNumber) throws InterruptedException {
        try {
            return closed ? -1 : in.read(buffer);
        } catch (IOException e) {
            put(SourceItem.skipped("line " + lineNumber + ": cannot read the input: " + e.getMessage()));
            return -1;
        }
    }

    private static SourceItem parse(byte[] line, int length, long number) {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        JsonRecordLine.Parsed parsed = JsonRecordLine.parse(line, end);
        if (parsed.blank()) {
            return null;
        }
        return parsed.record() != null
                ? SourceItem.of(parsed.record())
                : SourceItem.skipped("line " + number + ": " + parsed.problem());
    }

    private void put(SourceItem item) throws InterruptedException {
        if (item != null && !closed) {
            queue.put(item);
        }
    }
}
