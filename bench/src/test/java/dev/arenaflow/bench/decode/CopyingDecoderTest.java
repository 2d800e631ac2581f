package dev.arenaflow.bench.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.bench.SampleRecords;
import dev.arenaflow.record.DecodeError;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.record.RawRecordWriter;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The baseline is only fair if it accepts and rejects exactly what the view does. */
class CopyingDecoderTest {

    private static final int MAX_PAYLOAD = 1024;
    private static final int MUTATIONS = 20_000;

    private final CopyingDecoder decoder = new CopyingDecoder(MAX_PAYLOAD);

    @Test
    void shouldDecodeTheSameFieldsAsTheView() {
        RawRecordView view = new RawRecordView(MAX_PAYLOAD);
        for (byte[] value : new SampleRecords(1).values(50)) {
            DecodedRecord decoded = decoder.decode(ByteBuffer.wrap(value));
            view.wrap(value);
            assertThat(decoded).isEqualTo(new DecodedRecord(view.type(), view.flags(), view.eventTime(),
                    view.sequence(), view.sourceAsString(), decoded.payload(), view.hasChecksum()));
            assertThat(decoded.payload()).isEqualTo(view.payloadCopy());
        }
    }

    @Test
    void shouldRejectWhatTheViewRejectsWithTheSameError() {
        SplittableRandom random = new SplittableRandom(3);
        byte[][] originals = {
            RawRecordWriter.encode(7, 1, 2, "café-東京-🚀", new byte[40], true),
            RawRecordWriter.encode(65535, -1, 0, "s", new byte[0], false),
            new SampleRecords(2).value(9),
        };
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] value = mutate(originals[i % originals.length], random);
            assertThat(errorOf(value)).as("error for %s", Arrays.toString(value))
                    .isEqualTo(RawRecordView.validate(value, 0, value.length, MAX_PAYLOAD));
        }
    }

    private DecodeError errorOf(byte[] value) {
        try {
            decoder.decode(ByteBuffer.wrap(value));
            return null;
        } catch (CopyingDecoder.MalformedRecordException e) {
            return e.error();
        }
    }

    /** A few random byte changes, then sometimes a cut or an extension: reaches every check. */
    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] value = original.clone();
        int changes = random.nextInt(3);
        for (int c = 0; c < changes && value.length > 0; c++) {
            value[random.nextInt(value.length)] = (byte) random.nextInt(256);
        }
        return switch (random.nextInt(4)) {
            case 0 -> Arrays.copyOf(value, random.nextInt(value.length + 1));
            case 1 -> Arrays.copyOf(value, value.length + 1 + random.nextInt(4));
            default -> value;
        };
    }
}
