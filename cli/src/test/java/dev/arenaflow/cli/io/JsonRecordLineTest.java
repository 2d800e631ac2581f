package dev.arenaflow.cli.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.record.RawRecordWriter;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonRecordLineTest {

    private static final String VALID = "{\"type\":7,\"eventTime\":1764000000123,\"sequence\":42,\"source\":\"dev-1\","
            + "\"payload\":\"AQIDBAU=\"}";

    private static String problem(String line) {
        JsonRecordLine.Parsed parsed = JsonRecordLine.parse(line);
        assertThat(parsed.record()).as("record of %s", line).isNull();
        return parsed.problem();
    }

    private static String with(String field, String json) {
        return VALID.replaceFirst("\"" + field + "\":(\"[^\"]*\"|-?\\d+)",
                Matcher.quoteReplacement("\"" + field + "\":" + json));
    }

    private static String without(String field) {
        return VALID.replaceFirst(",?\"" + field + "\":(\"[^\"]*\"|-?\\d+)", "").replace("{,", "{");
    }

    @Test
    void shouldEncodeAValidLineLikeTheWriter() {
        JsonRecordLine.Parsed parsed = JsonRecordLine.parse(VALID);

        assertThat(parsed.problem()).isNull();
        assertThat(parsed.record().key()).isEqualTo("dev-1".getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.record().value()).isEqualTo(
                RawRecordWriter.encode(7, 1764000000123L, 42, "dev-1", new byte[] {1, 2, 3, 4, 5}, true));
        assertThat(parsed.record().malformed()).isFalse();
    }

    @Test
    void shouldHonourChecksumFalseAndAcceptEdgeValues() {
        String source = "東".repeat(85);
        JsonRecordLine.Parsed parsed = JsonRecordLine.parse("{\"checksum\":false,\"payload\":\"\",\"source\":\"" + source
                + "\",\"sequence\":0,\"eventTime\":-9223372036854775808,\"type\":65535}");

        assertThat(parsed.record().value()).isEqualTo(
                RawRecordWriter.encode(65535, Long.MIN_VALUE, 0, source, new byte[0], false));
    }

    @Test
    void shouldTreatABlankLineAsNeitherRecordNorProblem() {
        assertThat(JsonRecordLine.parse(" \t\r").blank()).isTrue();
        assertThat(JsonRecordLine.parse("").blank()).isTrue();
        assertThat(JsonRecordLine.parse(VALID).blank()).isFalse();
    }

    @Test
    void shouldReadOnlyTheGivenLengthOfTheBuffer() {
        byte[] buffer = (VALID + "garbage").getBytes(StandardCharsets.UTF_8);

        assertThat(JsonRecordLine.parse(buffer, VALID.length()).record()).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "type too large | `65536` | \"type\" must be an integer in 0..65535 but was 65536",
        "type negative | `-1` | \"type\" must be an integer in 0..65535 but was -1",
        "type as text | `\"7\"` | \"type\" must be an integer in 0..65535 but was \"7\"",
        "type fractional | `7.5` | \"type\" must be an integer in 0..65535 but was 7.5",
        "type null | `null` | \"type\" must be an integer in 0..65535 but was null",
        "eventTime fractional | `1.0e3` | \"eventTime\" must be an integer (epoch milliseconds) but was 1000.0",
        "eventTime beyond long | `9223372036854775808` | \"eventTime\" must be an integer (epoch milliseconds) "
                + "but was 9223372036854775808",
        "sequence negative | `-1` | \"sequence\" must be an integer of at least 0 but was -1",
        "source empty | `\"\"` | \"source\" must be 1..255 UTF-8 bytes but has 0",
        "source not text | `5` | \"source\" must be a string but was 5",
        "source surrogate | `\"a\\ud800\"` | \"source\" is not valid Unicode: it has an unpaired surrogate",
        "payload not base64 | `\"AQ*D\"` | \"payload\" is not valid base64: Illegal base64 character 2a",
        "payload url-safe | `\"-_8=\"` | \"payload\" is not valid base64: Illegal base64 character 2d",
        "payload not text | `[1,2]` | \"payload\" must be a base64 string but was an array",
    })
    void shouldNameTheBadField(String name, String json, String expected) {
        String field = name.substring(0, name.indexOf(' '));

        assertThat(problem(with(field, json))).isEqualTo(expected);
    }

    @Test
    void shouldRejectASourceOfMoreThan255Bytes() {
        assertThat(problem(with("source", "\"" + "東".repeat(86) + "\"")))
                .isEqualTo("\"source\" must be 1..255 UTF-8 bytes but has 258");
    }

    @Test
    void shouldNameEachMissingField() {
        for (String field : new String[] {"type", "eventTime", "sequence", "source", "payload"}) {
            assertThat(problem(without(field))).isEqualTo("missing field \"" + field + "\"");
        }
    }

    @Test
    void shouldRejectABadChecksumFlag() {
        assertThat(problem(VALID.replace("}", ",\"checksum\":\"yes\"}")))
                .isEqualTo("\"checksum\" must be true or false but was \"yes\"");
    }

    @Test
    void shouldRejectUnknownAndRepeatedFields() {
        assertThat(problem(VALID.replace("}", ",\"seq\":1}")))
                .isEqualTo("unknown field \"seq\"; the fields are type, eventTime, sequence, source, payload, checksum");
        assertThat(problem(VALID.replace("}", ",\"type\":8}"))).startsWith("not valid JSON: Duplicate field 'type'");
    }

    @Test
    void shouldRejectWhatIsNotOneJsonObject() {
        assertThat(problem("not json")).startsWith("not valid JSON: Unrecognized token 'not'");
        assertThat(problem("{\"type\":7")).startsWith("not valid JSON: Unexpected end-of-input");
        assertThat(problem(VALID + " {}")).startsWith("not valid JSON: Trailing token");
        assertThat(problem("[1,2]")).isEqualTo("expected a JSON object but found an array");
        assertThat(problem("42")).isEqualTo("expected a JSON object but found 42");
    }

    @Test
    void shouldRejectInvalidUtf8() {
        byte[] line = VALID.replace("dev-1", "dev-\u00ff").getBytes(StandardCharsets.ISO_8859_1);

        assertThat(JsonRecordLine.parse(line, line.length).problem()).startsWith("not valid JSON: Invalid UTF-8");
    }

    @Test
    void shouldCutLongValuesInMessages() {
        assertThat(problem(with("source", "\"" + "x".repeat(300) + "\"")))
                .isEqualTo("\"source\" must be 1..255 UTF-8 bytes but has 300");
        assertThat(problem(with("type", "\"" + "x".repeat(100) + "\"")))
                .isEqualTo("\"type\" must be an integer in 0..65535 but was \"" + "x".repeat(39) + "...");
    }
}
