package dev.arenaflow.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StrictUtf8Test {

    private static int firstInvalid(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        return StrictUtf8.firstInvalidIndex(bytes, 0, bytes.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "00", "7F", "C280", "DFBF", "E0A080", "ED9FBF", "EE8080", "EFBFBF", "F0908080", "F48FBFBF",
        "63C3A966C3A9", "F09F9A80"})
    void shouldAcceptWellFormedSequences(String hex) {
        assertThat(firstInvalid(hex)).isEqualTo(StrictUtf8.VALID);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource({
        "C080, 0, overlong two-byte NUL",
        "C1BF, 0, overlong two-byte",
        "E08080, 0, overlong three-byte",
        "E09FBF, 0, overlong three-byte just below U+0800",
        "F08F BFBF, 0, overlong four-byte",
        "EDA080, 0, high surrogate U+D800",
        "EDBFBF, 0, low surrogate U+DFFF",
        "F4908080, 0, above U+10FFFF",
        "F5808080, 0, lead byte F5",
        "FF, 0, lead byte FF",
        "6180, 1, stray continuation byte",
        "61E282, 1, truncated three-byte sequence",
        "F09F9A, 0, truncated four-byte sequence",
        "E2 41 82, 0, missing continuation byte",
        "C3A9C3, 2, truncated after a valid sequence"})
    void shouldRejectIllFormedSequencesAtTheirStart(String hex, int index, String why) {
        assertThat(firstInvalid(hex.replace(" ", ""))).isEqualTo(index);
    }
}
