package dev.arenaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.record.DecodeError;
import org.junit.jupiter.api.Test;

class VerdictJsonTest {

    private static String quoted(String value) {
        return VerdictJson.appendString(new StringBuilder(), value).toString();
    }

    @Test
    void shouldEscapeQuotesAndBackslashes() {
        assertThat(quoted("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }

    @Test
    void shouldEscapeControlCharactersAsUnicodeEscapes() {
        assertThat(quoted("\u0000\n\r\u001F\u007F\u0085")).isEqualTo("\"\\u0000\\u000A\\u000D\\u001F\\u007F\\u0085\"");
    }

    @Test
    void shouldKeepNonAsciiText() {
        assertThat(quoted("café 東京 🚀 \u2028")).isEqualTo("\"café 東京 🚀 \u2028\"");
    }

    @Test
    void shouldWriteAnInvalidVerdictInContractOrder() {
        assertThat(VerdictJson.invalid(DecodeError.BAD_CHECKSUM, "crc \"x\""))
                .isEqualTo("{\"ok\":false,\"error\":\"BAD_CHECKSUM\",\"detail\":\"crc \\\"x\\\"\"}");
        assertThat(VerdictJson.badHex()).isEqualTo("{\"ok\":false,\"error\":\"BAD_HEX\"}");
    }
}
