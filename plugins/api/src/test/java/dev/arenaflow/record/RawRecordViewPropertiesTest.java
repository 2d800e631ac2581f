package dev.arenaflow.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class RawRecordViewPropertiesTest {

    private static final int MAX_PAYLOAD = 2000;
    private static final int MAX_CODE_POINTS = 100;
    // Lead bytes at every boundary of the UTF-8 table, and the continuation bytes at its range limits.
    private static final byte[] LEAD_EDGES = {
        0x00, 0x41, 0x7F, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC1, (byte) 0xC2, (byte) 0xDF, (byte) 0xE0,
        (byte) 0xE1, (byte) 0xEC, (byte) 0xED, (byte) 0xEE, (byte) 0xEF, (byte) 0xF0, (byte) 0xF1, (byte) 0xF3,
        (byte) 0xF4, (byte) 0xF5, (byte) 0xFF};
    private static final byte[] CONTINUATION_EDGES = {
        (byte) 0x80, (byte) 0x8F, (byte) 0x90, (byte) 0x9F, (byte) 0xA0, (byte) 0xBF, 0x41, (byte) 0xC0};

    private final RawRecordView view = new RawRecordView(MAX_PAYLOAD);

    @Property
    void shouldRoundTripAnyValidFields(@ForAll @IntRange(max = 0xFFFF) int type, @ForAll long eventTime,
                                       @ForAll @LongRange(max = Long.MAX_VALUE) long sequence,
                                       @ForAll("sources") String source, @ForAll("payloads") byte[] payload,
                                       @ForAll boolean withChecksum) {
        byte[] record = RawRecordWriter.encode(type, eventTime, sequence, source, payload, withChecksum);

        view.wrap(record);

        assertThat(view.error()).as(() -> view.errorDetail()).isNull();
        assertThat(view.type()).isEqualTo(type);
        assertThat(view.eventTime()).isEqualTo(eventTime);
        assertThat(view.sequence()).isEqualTo(sequence);
        assertThat(view.sourceAsString()).isEqualTo(source);
        assertThat(view.sourceEquals(source.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(view.payloadCopy()).isEqualTo(payload);
        assertThat(view.hasChecksum()).isEqualTo(withChecksum);
        assertThat(view.recordLength()).isEqualTo(record.length)
                .isEqualTo(RawRecordWriter.encodedLength(view.sourceLength(), payload.length, withChecksum));
    }

    @Property
    void shouldNeverThrowOnArbitraryBytes(@ForAll("arbitraryValues") byte[] value) {
        assertDecodesCleanly(value);
    }

    @Property
    void shouldNeverThrowOnMutatedRecords(@ForAll("mutatedRecords") byte[] value) {
        assertDecodesCleanly(value);
    }

    @Property
    void shouldIgnoreBytesOutsideTheWindow(@ForAll("mutatedRecords") byte[] value,
                                           @ForAll("payloads") byte[] before, @ForAll("payloads") byte[] after) {
        byte[] array = new byte[before.length + value.length + after.length];
        System.arraycopy(before, 0, array, 0, before.length);
        System.arraycopy(value, 0, array, before.length, value.length);
        System.arraycopy(after, 0, array, before.length + value.length, after.length);

        DecodeError alone = RawRecordView.validate(value, 0, value.length, MAX_PAYLOAD);

        assertThat(RawRecordView.validate(array, before.length, value.length, MAX_PAYLOAD)).isEqualTo(alone);
        assertThat(view.wrap(array, before.length, value.length).error()).isEqualTo(alone);
    }

    @Property
    void shouldAgreeWithTheJdkStrictDecoder(@ForAll("utf8Candidates") byte[] bytes) {
        int expected = jdkFirstMalformedIndex(bytes);

        assertThat(StrictUtf8.firstInvalidIndex(bytes, 0, bytes.length)).isEqualTo(expected);
    }

    private void assertDecodesCleanly(byte[] value) {
        DecodeError error = view.wrap(value).error();

        assertThat(RawRecordView.validate(value, 0, value.length, MAX_PAYLOAD)).isEqualTo(error);
        if (error == null) {
            assertFieldsReadable(value);
        } else {
            assertThat(view.errorDetail()).isNotBlank();
        }
    }

    /** Reads every field and compares it with the bytes, read independently through a ByteBuffer. */
    private void assertFieldsReadable(byte[] value) {
        ByteBuffer bytes = ByteBuffer.wrap(value);
        int sourceLength = Short.toUnsignedInt(bytes.getShort(RawRecordFormat.SOURCE_LENGTH_OFFSET));
        int payloadOffset = RawRecordFormat.payloadOffset(sourceLength);
        byte[] source = new byte[view.sourceLength()];
        view.copySource(source, 0);

        assertThat(source).isEqualTo(Arrays.copyOfRange(value, RawRecordFormat.SOURCE_OFFSET, payloadOffset - RawRecordFormat.PAYLOAD_LENGTH_SIZE));
        assertThat(view.sourceAsString().getBytes(StandardCharsets.UTF_8)).isEqualTo(source);
        assertThat(view.payloadCopy())
                .isEqualTo(Arrays.copyOfRange(value, payloadOffset, payloadOffset + view.payloadLength()));
        assertThat(view.type()).isEqualTo(Short.toUnsignedInt(bytes.getShort(RawRecordFormat.TYPE_OFFSET)));
        assertThat(view.eventTime()).isEqualTo(bytes.getLong(RawRecordFormat.EVENT_TIME_OFFSET));
        assertThat(view.sequence()).isEqualTo(bytes.getLong(RawRecordFormat.SEQUENCE_OFFSET)).isNotNegative();
        assertThat(view.flags()).isBetween(0, RawRecordFormat.FLAG_CHECKSUM);
        assertThat(view.recordLength()).isEqualTo(value.length);
    }

    /** @return where the JDK decoder, reporting malformed input, stops; -1 if it decodes all */
    private static int jdkFirstMalformedIndex(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult result = decoder.decode(in, CharBuffer.allocate(bytes.length * 2 + 2), true);
        return result.isError() ? in.position() : StrictUtf8.VALID;
    }

    @Provide
    Arbitrary<String> sources() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, 0x7F)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0x7FF)),
                Tuple.of(2, Arbitraries.integers().between(0x800, 0xFFFF)
                        .filter(c -> c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE)),
                Tuple.of(2, Arbitraries.integers().between(0x10000, Character.MAX_CODE_POINT)));
        return codePoint.list().ofMinSize(1).ofMaxSize(MAX_CODE_POINTS).map(RawRecordViewPropertiesTest::fitSource);
    }

    /** Keeps the longest prefix whose UTF-8 form fits in 255 bytes. */
    private static String fitSource(List<Integer> codePoints) {
        StringBuilder source = new StringBuilder();
        int bytes = 0;
        for (int codePoint : codePoints) {
            String next = new String(Character.toChars(codePoint));
            bytes += next.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > RawRecordFormat.MAX_SOURCE_LENGTH) {
                break;
            }
            source.append(next);
        }
        return source.toString();
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(MAX_PAYLOAD);
    }

    @Provide
    Arbitrary<byte[]> arbitraryValues() {
        Arbitrary<byte[]> anything = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        Arbitrary<byte[]> withPreamble = anything.map(RawRecordViewPropertiesTest::withPreamble);
        return Arbitraries.oneOf(anything, withPreamble);
    }

    private static byte[] withPreamble(byte[] rest) {
        byte[] value = new byte[RawRecordFormat.PREAMBLE_LENGTH + rest.length];
        value[RawRecordFormat.MAGIC_OFFSET] = RawRecordFormat.MAGIC;
        value[RawRecordFormat.VERSION_OFFSET] = RawRecordFormat.VERSION;
        System.arraycopy(rest, 0, value, RawRecordFormat.PREAMBLE_LENGTH, rest.length);
        return value;
    }

    @Provide
    Arbitrary<byte[]> mutatedRecords() {
        Arbitrary<byte[]> records = Combinators.combine(sources(), Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                        Arbitraries.of(true, false))
                .as((source, payload, crc) -> RawRecordWriter.encode(9, 1L, 2L, source, payload, crc));
        Arbitrary<List<Tuple2<Integer, Byte>>> edits = Combinators.combine(
                        Arbitraries.integers().between(0, 400), Arbitraries.bytes()).as(Tuple::of)
                .list().ofMaxSize(4);
        Arbitrary<Integer> lengthChange = Arbitraries.integers().between(-8, 8);
        return Combinators.combine(records, edits, lengthChange).as(RawRecordViewPropertiesTest::mutate);
    }

    private static byte[] mutate(byte[] record, List<Tuple2<Integer, Byte>> edits, int lengthChange) {
        byte[] value = Arrays.copyOf(record, Math.max(0, record.length + lengthChange));
        for (Tuple2<Integer, Byte> edit : edits) {
            if (value.length > 0) {
                value[edit.get1() % value.length] = edit.get2();
            }
        }
        return value;
    }

    @Provide
    Arbitrary<byte[]> utf8Candidates() {
        Arbitrary<List<Byte>> token = Combinators.combine(Arbitraries.of(toArray(LEAD_EDGES)),
                        Arbitraries.of(toArray(CONTINUATION_EDGES)).list().ofMaxSize(3))
                .as(RawRecordViewPropertiesTest::prepend);
        Arbitrary<byte[]> nearEdges = token.list().ofMinSize(1).ofMaxSize(6).map(RawRecordViewPropertiesTest::concat);
        Arbitrary<byte[]> wellFormed = sources().map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> anything = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        return Arbitraries.frequencyOf(Tuple.of(3, nearEdges), Tuple.of(1, wellFormed), Tuple.of(1, anything));
    }

    private static List<Byte> prepend(Byte lead, List<Byte> rest) {
        List<Byte> token = new java.util.ArrayList<>(rest.size() + 1);
        token.add(lead);
        token.addAll(rest);
        return token;
    }

    private static byte[] concat(List<List<Byte>> tokens) {
        return toBytes(tokens.stream().flatMap(List::stream).toList());
    }

    private static Byte[] toArray(byte[] bytes) {
        Byte[] boxed = new Byte[bytes.length];
        Arrays.setAll(boxed, i -> bytes[i]);
        return boxed;
    }

    private static byte[] toBytes(List<Byte> list) {
        byte[] bytes = new byte[list.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = list.get(i);
        }
        return bytes;
    }
}
