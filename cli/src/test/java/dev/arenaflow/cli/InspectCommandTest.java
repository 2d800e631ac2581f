package dev.arenaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.record.DecodeError;
import dev.arenaflow.record.RawRecordWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InspectCommandTest {

    private static final String DESIGN_EXAMPLE_HEX =
            "a50100070001" + "0000019ab697e87b" + "000000000000002a" + "0005" + "6465762d31" + "00000005" + "0102030405"
                    + "1d871d1f";
    private static final String DESIGN_EXAMPLE_JSON = "{\"ok\":true,\"type\":7,\"flags\":1,\"eventTime\":1764000000123,"
            + "\"sequence\":42,\"source\":\"dev-1\",\"payloadLength\":5,\"checksum\":true}";
    private static final HexFormat HEX = HexFormat.of();

    private static CommandRun inspect(String stdin, String... extraArgs) {
        String[] args = new String[extraArgs.length + 2];
        args[0] = "inspect";
        args[1] = "--hex";
        System.arraycopy(extraArgs, 0, args, 2, extraArgs.length);
        return CommandRun.run(stdin, args);
    }

    private static byte[] designExample() {
        return HEX.parseHex(DESIGN_EXAMPLE_HEX);
    }

    private static String withByte(int index, int value) {
        byte[] record = designExample();
        record[index] = (byte) value;
        return HEX.formatHex(record);
    }

    @Test
    void shouldPrintTheDesignExample() {
        CommandRun run = inspect(DESIGN_EXAMPLE_HEX + "\n");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).isEqualTo(DESIGN_EXAMPLE_JSON + "\n");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void shouldAcceptUppercaseAndMixedCaseHex() {
        String mixed = DESIGN_EXAMPLE_HEX.substring(0, 10).toUpperCase() + DESIGN_EXAMPLE_HEX.substring(10);

        CommandRun run = inspect(DESIGN_EXAMPLE_HEX.toUpperCase() + "\n" + mixed + "\n");

        assertThat(run.lines()).containsExactly(DESIGN_EXAMPLE_JSON, DESIGN_EXAMPLE_JSON);
    }

    @Test
    void shouldReportEveryDecodeErrorWithItsDetail() {
        Map<DecodeError, String> examples = new EnumMap<>(DecodeError.class);
        examples.put(DecodeError.EMPTY, "");
        examples.put(DecodeError.BAD_MAGIC, withByte(0, 0));
        examples.put(DecodeError.TRUNCATED, DESIGN_EXAMPLE_HEX.substring(0, 20));
        examples.put(DecodeError.BAD_VERSION, withByte(1, 2));
        examples.put(DecodeError.RESERVED_FLAGS, withByte(4, 0x80));
        examples.put(DecodeError.BAD_SEQUENCE, withByte(14, 0xFF));
        examples.put(DecodeError.BAD_SOURCE, withByte(24, 0xC0));
        examples.put(DecodeError.PAYLOAD_TOO_LARGE, withByte(29, 0xFF));
        examples.put(DecodeError.TRAILING_BYTES, DESIGN_EXAMPLE_HEX + "00");
        examples.put(DecodeError.BAD_CHECKSUM, withByte(33, 9));
        assertThat(examples.keySet()).containsExactly(DecodeError.values());

        CommandRun run = inspect(String.join("\n", examples.values()) + "\n");

        assertThat(run.exitCode()).isZero();
        assertThat(run.lines()).containsExactly(
                "{\"ok\":false,\"error\":\"EMPTY\",\"detail\":\"value has length 0\"}",
                "{\"ok\":false,\"error\":\"BAD_MAGIC\",\"detail\":\"expected magic 0xA5 but found 0x00\"}",
                "{\"ok\":false,\"error\":\"TRUNCATED\",\"detail\":\"length 10 is below the 24-byte header\"}",
                "{\"ok\":false,\"error\":\"BAD_VERSION\",\"detail\":\"expected version 1 but found 2\"}",
                "{\"ok\":false,\"error\":\"RESERVED_FLAGS\",\"detail\":\"flags 0x8001 set reserved bits 0x8000\"}",
                "{\"ok\":false,\"error\":\"BAD_SEQUENCE\",\"detail\":\"sequence -72057594037927894 is negative\"}",
                "{\"ok\":false,\"error\":\"BAD_SOURCE\",\"detail\":"
                        + "\"source is not strict UTF-8: ill-formed sequence at source index 0 (byte 0xC0)\"}",
                "{\"ok\":false,\"error\":\"PAYLOAD_TOO_LARGE\",\"detail\":"
                        + "\"payloadLen 4278190085 is above the maximum 1048576\"}",
                "{\"ok\":false,\"error\":\"TRAILING_BYTES\",\"detail\":"
                        + "\"length 43 is above the declared end 42 (source 5, payload 5, crc 4)\"}",
                "{\"ok\":false,\"error\":\"BAD_CHECKSUM\",\"detail\":"
                        + "\"crc 0x1D871D1F does not match computed 0xD8E0168E\"}");
    }

    @Test
    void shouldReportBadHexForLinesThatAreNotHex() {
        CommandRun run = inspect("a5f\nzz\n0xa5\na5 01\nä5\n");

        assertThat(run.exitCode()).isZero();
        assertThat(run.lines()).hasSize(5).allMatch("{\"ok\":false,\"error\":\"BAD_HEX\"}"::equals);
    }

    @Test
    void shouldTreatAnEmptyOrBlankLineAsAnEmptyValue() {
        CommandRun run = inspect("\n \t\r\n");

        assertThat(run.lines()).containsExactly(
                "{\"ok\":false,\"error\":\"EMPTY\",\"detail\":\"value has length 0\"}",
                "{\"ok\":false,\"error\":\"EMPTY\",\"detail\":\"value has length 0\"}");
    }

    @Test
    void shouldIgnoreCarriageReturnsAndBlanksAroundTheHex() {
        CommandRun run = inspect(DESIGN_EXAMPLE_HEX + "\r\n\t " + DESIGN_EXAMPLE_HEX + "  \r\n");

        assertThat(run.lines()).containsExactly(DESIGN_EXAMPLE_JSON, DESIGN_EXAMPLE_JSON);
    }

    @Test
    void shouldNotEndALineAtALoneCarriageReturn() {
        CommandRun run = inspect("a5\r01\n");

        assertThat(run.lines()).containsExactly("{\"ok\":false,\"error\":\"BAD_HEX\"}");
    }

    @Test
    void shouldInspectALastLineWithoutNewline() {
        assertThat(inspect(DESIGN_EXAMPLE_HEX).stdout()).isEqualTo(DESIGN_EXAMPLE_JSON + "\n");
    }

    @Test
    void shouldPrintNothingForNoInput() {
        CommandRun run = inspect("");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void shouldEscapeTheSourceAndKeepNonAsciiAsUtf8() {
        String source = "q\"b\\s\tc\u0001é東🚀";
        byte[] record = RawRecordWriter.encode(3, -1, 0, source, new byte[0], false);

        CommandRun run = inspect(HEX.formatHex(record) + "\n");

        assertThat(run.stdout()).isEqualTo("{\"ok\":true,\"type\":3,\"flags\":0,\"eventTime\":-1,\"sequence\":0,"
                + "\"source\":\"q\\\"b\\\\s\\u0009c\\u0001é東🚀\",\"payloadLength\":0,\"checksum\":false}\n");
    }

    @Test
    void shouldWriteUtf8WhateverTheDefaultCharset() {
        byte[] record = RawRecordWriter.encode(3, 0, 0, "東", new byte[0], false);
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();

        CommandRun.run((HEX.formatHex(record) + "\n").getBytes(StandardCharsets.US_ASCII), stdout, "inspect", "--hex");

        assertThat(stdout.toByteArray()).containsSequence("\"source\":\"東\"".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldKeepOrderAndCountOverManyLines() {
        int count = 5_000;
        StringBuilder stdin = new StringBuilder();
        for (int i = 0; i < count; i++) {
            stdin.append(i % 3 == 0 ? "zz" : HEX.formatHex(RawRecordWriter.encode(1, 0, i, "s", new byte[i % 50], true)))
                    .append('\n');
        }

        List<String> lines = inspect(stdin.toString()).lines();

        assertThat(lines).hasSize(count);
        IntStream.range(0, count).forEach(i -> assertThat(lines.get(i)).isEqualTo(i % 3 == 0
                ? "{\"ok\":false,\"error\":\"BAD_HEX\"}"
                : "{\"ok\":true,\"type\":1,\"flags\":1,\"eventTime\":0,\"sequence\":" + i
                        + ",\"source\":\"s\",\"payloadLength\":" + i % 50 + ",\"checksum\":true}"));
    }

    @Test
    void shouldApplyTheConfiguredMaximumPayload() {
        CommandRun run = inspect(DESIGN_EXAMPLE_HEX + "\n", "--max-payload-bytes", "4");

        assertThat(run.lines()).containsExactly(
                "{\"ok\":false,\"error\":\"PAYLOAD_TOO_LARGE\",\"detail\":\"payloadLen 5 is above the maximum 4\"}");
    }

    @Test
    void shouldRejectANonPositiveMaximum() {
        CommandRun run = inspect(DESIGN_EXAMPLE_HEX + "\n", "--max-payload-bytes", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--max-payload-bytes must be at least 1 but was 0");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void shouldRequireTheHexOption() {
        CommandRun run = CommandRun.run(DESIGN_EXAMPLE_HEX + "\n", "inspect");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("Missing required option: '--hex'");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void shouldSayInHelpThatHexIsTheOnlyInputFormat() {
        CommandRun run = CommandRun.run("", "inspect", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("--hex").contains("only input format").contains("--max-payload-bytes");
    }

    @Test
    void shouldStopWhenStandardOutputIsClosed() {
        OutputStream closedPipe = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };

        CommandRun run = CommandRun.run((DESIGN_EXAMPLE_HEX + "\n").getBytes(StandardCharsets.US_ASCII), closedPipe,
                "inspect", "--hex");

        assertThat(run.exitCode()).isEqualTo(InspectCommand.EXIT_OUTPUT_CLOSED);
    }

    @Test
    void shouldReadSequenceAsSigned() {
        byte[] record = designExample();
        ByteBuffer.wrap(record).putLong(14, Long.MIN_VALUE);

        assertThat(inspect(HEX.formatHex(record)).stdout()).contains("\"error\":\"BAD_SEQUENCE\"");
    }
}
