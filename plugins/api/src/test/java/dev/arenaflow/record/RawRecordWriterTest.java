package dev.arenaflow.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RawRecordWriterTest {

    private static final byte[] NO_PAYLOAD = new byte[0];

    @Test
    void shouldComputeEncodedLength() {
        assertThat(RawRecordWriter.encodedLength(5, 5, true)).isEqualTo(42);
        assertThat(RawRecordWriter.encodedLength(1, 0, false)).isEqualTo(29);
        assertThat(RawRecordWriter.encode(7, 0, 0, "dev-1", new byte[5], false)).hasSize(38);
    }

    @Test
    void shouldRejectTypeOutsideUnsigned16Bits() {
        assertThatThrownBy(() -> RawRecordWriter.encode(-1, 0, 0, "s", NO_PAYLOAD, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("type -1 is outside 0..65535");
        assertThatThrownBy(() -> RawRecordWriter.encode(65536, 0, 0, "s", NO_PAYLOAD, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("type 65536 is outside 0..65535");
    }

    @Test
    void shouldRejectNegativeSequence() {
        assertThatThrownBy(() -> RawRecordWriter.encode(1, 0, -5, "s", NO_PAYLOAD, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sequence -5 is negative");
    }

    @Test
    void shouldRejectSourceOutside1To255Bytes() {
        assertThatThrownBy(() -> RawRecordWriter.encode(1, 0, 0, "", NO_PAYLOAD, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("source length 0 is outside 1..255 bytes");
        assertThatThrownBy(() -> RawRecordWriter.encode(1, 0, 0, "é".repeat(128), NO_PAYLOAD, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("source length 256 is outside 1..255 bytes");
    }

    @Test
    void shouldRejectSourceThatIsNotStrictUtf8() {
        byte[] overlongSlash = {(byte) 0xC0, (byte) 0xAF};

        assertThatThrownBy(() -> RawRecordWriter.encode(1, 0, 0, overlongSlash, NO_PAYLOAD, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not strict UTF-8 at index 0");
        assertThatThrownBy(() -> RawRecordWriter.encode(1, 0, 0, "a\uD800", NO_PAYLOAD, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate");
    }

    @Test
    void shouldRejectNullSourceAndPayload() {
        assertThatThrownBy(() -> RawRecordWriter.encode(1, 0, 0, (String) null, NO_PAYLOAD, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("source is null");
        assertThatThrownBy(() -> RawRecordWriter.encode(1, 0, 0, (byte[]) null, NO_PAYLOAD, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("source is null");
        assertThatThrownBy(() -> RawRecordWriter.encode(1, 0, 0, "s", null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload is null");
    }

    @Test
    void shouldRejectLengthsThatDoNotFitAnArray() {
        assertThatThrownBy(() -> RawRecordWriter.encodedLength(1, Integer.MAX_VALUE, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2147483647");
        assertThatThrownBy(() -> RawRecordWriter.encodedLength(1, -1, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }
}
