package dev.arenaflow.cli.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    private static final long SECOND = 1_000_000_000L;

    private final StringWriter text = new StringWriter();
    private final long[] now = {0};

    private ProgressLine line(boolean terminal) {
        return new ProgressLine(new PrintWriter(text), terminal, () -> now[0]);
    }

    @Test
    void shouldWriteFullLinesAboutOnceASecondWhenNotATerminal() {
        ProgressLine progress = line(false);

        progress.update(10, 0);
        now[0] = SECOND / 2;
        progress.update(500, 0);
        now[0] = SECOND;
        progress.update(12_340, 0);
        now[0] = 2 * SECOND;
        progress.update(15_541, 2);

        assertThat(text.toString()).isEqualTo("produced 12,340 records, 12,340/s, 0 failed\n"
                + "produced 15,541 records, 3,201/s, 2 failed\n");
    }

    @Test
    void shouldStayQuietWhenNothingChangesAndNotATerminal() {
        ProgressLine progress = line(false);
        now[0] = SECOND;
        progress.update(5, 0);
        now[0] = 2 * SECOND;
        progress.update(5, 0);
        now[0] = 3 * SECOND;
        progress.update(5, 0);

        assertThat(text.toString().lines()).hasSize(1);
    }

    @Test
    void shouldRedrawOneLineOnATerminalAndPrintMessagesAboveIt() {
        ProgressLine progress = line(true);
        now[0] = SECOND;
        progress.update(12_340, 0);
        now[0] = 2 * SECOND;
        progress.update(12_341, 0);
        progress.message("line 3: bad");
        progress.finish("done");

        String first = "produced 12,340 records, 12,340/s, 0 failed";
        String second = "produced 12,341 records, 1/s, 0 failed";
        assertThat(text.toString()).isEqualTo("\r" + first
                + "\r" + second + " ".repeat(first.length() - second.length())
                + "\r" + " ".repeat(second.length()) + "\rline 3: bad\ndone\n");
    }

    @Test
    void shouldComputeRatesPerSecond() {
        assertThat(ProgressLine.perSecond(3_201, SECOND)).isEqualTo(3_201);
        assertThat(ProgressLine.perSecond(10, SECOND / 2)).isEqualTo(20);
        assertThat(ProgressLine.perSecond(10, 0)).isZero();
    }

    @Test
    void shouldShowACommandsOwnTextAboutOnceASecondAndOnlyWhenItChangedOffATerminal() {
        ProgressLine progress = line(false);
        int[] made = {0};

        progress.update(() -> "read " + ++made[0]);
        now[0] = SECOND;
        progress.update(() -> "read 5");
        now[0] = 2 * SECOND;
        progress.update(() -> "read 5");
        now[0] = 3 * SECOND;
        progress.update(() -> "read 9");

        assertThat(made[0]).as("text made only when due").isZero();
        assertThat(text.toString()).isEqualTo("read 5\nread 9\n");
    }
}
