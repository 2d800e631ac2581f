package dev.arenaflow.cli.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLineSourceTest {

    private static final String VALID = "{\"type\":7,\"eventTime\":1,\"sequence\":42,\"source\":\"dev-1\",\"payload\":\"\"}";

    private static List<SourceItem> readAll(InputStream in) throws InterruptedException {
        List<SourceItem> items = new ArrayList<>();
        try (JsonLineSource source = JsonLineSource.start(in)) {
            SourceItem item;
            while ((item = source.next(5_000)) != SourceItem.END) {
                assertThat(item).as("item before the end").isNotNull();
                items.add(item);
            }
        }
        return items;
    }

    @Test
    void shouldNumberLinesFromOneCountingBlankLinesAndSkipThem() throws InterruptedException {
        String input = VALID + "\r\n\n  \nnope\r\n" + VALID + "\n{}";

        List<SourceItem> items = readAll(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));

        assertThat(items).hasSize(4);
        assertThat(items.get(0).record()).isNotNull();
        assertThat(items.get(1).problem()).startsWith("line 4: not valid JSON");
        assertThat(items.get(2).record()).isNotNull();
        assertThat(items.get(3).problem()).isEqualTo("line 6: missing field \"type\"");
    }

    @Test
    void shouldReadLinesLongerThanItsBuffers() throws InterruptedException {
        String payload = "A".repeat(400_000);
        String line = VALID.replace("\"payload\":\"\"", "\"payload\":\"" + payload + "\"");

        List<SourceItem> items = readAll(new ByteArrayInputStream((line + "\n").getBytes(StandardCharsets.UTF_8)));

        assertThat(items).singleElement().satisfies(item -> assertThat(item.record().value()).hasSizeGreaterThan(300_000));
    }

    @Test
    void shouldGiveNothingYetWhileInputIsIdleAndStopWhenClosed() throws InterruptedException, IOException {
        PipedOutputStream writer = new PipedOutputStream();
        JsonLineSource source = JsonLineSource.start(new PipedInputStream(writer));

        assertThat(source.next(50)).isNull();
        writer.write((VALID + "\n").getBytes(StandardCharsets.UTF_8));
        writer.flush();
        assertThat(source.next(5_000).record()).isNotNull();
        source.close();
        writer.close();
    }

    @Test
    void shouldReportAReadErrorAsAProblemThenEnd() throws InterruptedException {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk on fire");
            }
        };

        List<SourceItem> items = readAll(broken);

        assertThat(items).extracting(SourceItem::problem).containsExactly("line 1: cannot read the input: disk on fire");
    }
}
