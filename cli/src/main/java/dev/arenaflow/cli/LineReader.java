package dev.arenaflow.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines ended by {@code '\n'}; a last line without one still counts.
 * Unlike {@code BufferedReader} it does not end a line at a lone {@code '\r'}, so one input line
 * always gives exactly one output line.
 */
final class LineReader {

    private static final int BUFFER_SIZE = 1 << 16;
    private static final int INITIAL_LINE_SIZE = 256;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int position;
    private int limit;
    private byte[] line = new byte[INITIAL_LINE_SIZE];
    private int lineLength;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** @return true if a line was read into {@link #line()}, false at the end of input */
    boolean next() throws IOException {
        lineLength = 0;
        boolean any = false;
        while (position < limit || fill()) {
            any = true;
            byte b = buffer[position++];
            if (b == '\n') {
                return true;
            }
            append(b);
        }
        return any;
    }

    /** @return the current line's bytes, without its {@code '\n'}; valid until the next {@link #next()} */
    byte[] line() {
        return line;
    }

    int lineLength() {
        return lineLength;
    }

    /** @return true if reading the next line will not block; false also when the stream cannot tell */
    boolean hasWaitingInput() {
        try {
            return position < limit || in.available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean fill() throws IOException {
        int read = in.read(buffer);
        position = 0;
        limit = Math.max(read, 0);
        return read > 0;
    }

    private void append(byte b) {
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, line.length * 2);
        }
        line[lineLength++] = b;
    }
}
