package dev.arenaflow.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RawRecordViewTest {

    private static final int SMALL_MAX = 16;
    private static final byte[] PAYLOAD = {1, 2, 3, 4, 5};

    /** Decodes with both entry points and checks that they agree. */
    private static DecodeError decode(byte[] value, int maxPayloadLength) {
        int length = value == null ? 0 : value.length;
        DecodeError viaWrap = new RawRecordView(maxPayloadLength).wrap(value).error();
        assertThat(RawRecordView.validate(value, 0, length, maxPayloadLength)).isEqualTo(viaWrap);
        return viaWrap;
    }

    private static DecodeError decode(byte[] value) {
        return decode(value, RawRecordFormat.DEFAULT_MAX_PAYLOAD_LENGTH);
    }

    private static String detail(byte[] value, int maxPayloadLength) {
        return new RawRecordView(maxPayloadLength).wrap(value).errorDetail();
    }

    private static String detail(byte[] value) {
        return detail(value, RawRecordFormat.DEFAULT_MAX_PAYLOAD_LENGTH);
    }

    /** One test per step of the contract's list; where two rules are broken, the earlier must win. */
    @Nested
    class ErrorOrder {

        @Test
        void shouldReportEmptyForNullValue() {
            assertThat(decode(null)).isEqualTo(DecodeError.EMPTY);
            assertThat(detail(null)).isEqualTo("value is null");
        }

        @Test
        void shouldReportEmptyBeforeBadMagicForZeroLengthWindow() {
            byte[] badMagicOutsideWindow = {0x00};
            RawRecordView view = new RawRecordView().wrap(badMagicOutsideWindow, 0, 0);

            assertThat(view.error()).isEqualTo(DecodeError.EMPTY);
            assertThat(view.errorDetail()).isEqualTo("value has length 0");
            assertThat(decode(new byte[0])).isEqualTo(DecodeError.EMPTY);
        }

        @Test
        void shouldReportBadMagicBeforeTruncated() {
            assertThat(decode(new byte[] {0x00})).isEqualTo(DecodeError.BAD_MAGIC);
            assertThat(detail(new byte[] {0x00})).isEqualTo("expected magic 0xA5 but found 0x00");
        }

        @Test
        void shouldReportBadMagicOnAnOtherwiseValidRecord() {
            assertThat(decode(RecordBytes.designExample().magic(0xA4).bytes())).isEqualTo(DecodeError.BAD_MAGIC);
        }

        @Test
        void shouldReportTruncatedBelowTwoBytesBeforeBadVersion() {
            byte[] badVersionOutsideWindow = {RawRecordFormat.MAGIC, 0x02};
            RawRecordView view = new RawRecordView().wrap(badVersionOutsideWindow, 0, 1);

            assertThat(view.error()).isEqualTo(DecodeError.TRUNCATED);
            assertThat(view.errorDetail()).isEqualTo("length 1 is below 2, the end of magic and version");
        }

        @Test
        void shouldReportBadVersionBeforeTruncatedHeader() {
            assertThat(decode(new byte[] {RawRecordFormat.MAGIC, 0x02})).isEqualTo(DecodeError.BAD_VERSION);
            byte[] shortWithBadVersion = RecordBytes.designExample().version(0).truncateTo(10).bytes();
            assertThat(decode(shortWithBadVersion)).isEqualTo(DecodeError.BAD_VERSION);
            assertThat(detail(shortWithBadVersion)).isEqualTo("expected version 1 but found 0");
        }

        @Test
        void shouldReportTruncatedHeaderBeforeReservedFlags() {
            byte[] value = RecordBytes.designExample().flags(0xFFFF).truncateTo(RawRecordFormat.HEADER_LENGTH - 1).bytes();

            assertThat(decode(value)).isEqualTo(DecodeError.TRUNCATED);
            assertThat(detail(value)).isEqualTo("length 23 is below the 24-byte header");
        }

        @Test
        void shouldReportReservedFlagsBeforeBadSequence() {
            byte[] value = RecordBytes.designExample().flags(0x0003).sequence(-1).bytes();

            assertThat(decode(value)).isEqualTo(DecodeError.RESERVED_FLAGS);
            assertThat(detail(value)).isEqualTo("flags 0x0003 set reserved bits 0x0002");
        }

        @Test
        void shouldReportReservedFlagsForTheHighestBit() {
            assertThat(decode(RecordBytes.withoutChecksum("s", 0).flags(0x8000).bytes()))
                    .isEqualTo(DecodeError.RESERVED_FLAGS);
        }

        @Test
        void shouldReportBadSequenceBeforeBadSourceLength() {
            byte[] value = RecordBytes.designExample().sequence(Long.MIN_VALUE).sourceLength(0).bytes();

            assertThat(decode(value)).isEqualTo(DecodeError.BAD_SEQUENCE);
            assertThat(detail(value)).isEqualTo("sequence -9223372036854775808 is negative");
        }

        @Test
        void shouldReportBadSourceLengthBeforeTruncatedSource() {
            byte[] value = RecordBytes.designExample().sourceLength(256).bytes();

            assertThat(value.length).isLessThan(RawRecordFormat.payloadOffset(256));
            assertThat(decode(value)).isEqualTo(DecodeError.BAD_SOURCE);
            assertThat(detail(value)).isEqualTo("sourceLen 256 is outside 1..255");
        }

        @Test
        void shouldReportBadSourceForZeroAndMaximalSourceLength() {
            assertThat(detail(RecordBytes.designExample().sourceLength(0).bytes()))
                    .isEqualTo("sourceLen 0 is outside 1..255");
            assertThat(decode(RecordBytes.designExample().sourceLength(0xFFFF).bytes()))
                    .isEqualTo(DecodeError.BAD_SOURCE);
        }

        @Test
        void shouldReportTruncatedSourceBeforeBadUtf8() {
            byte[] value = RecordBytes.withoutChecksum("abc", 0).sourceByte(0, 0xFF)
                    .truncateTo(RawRecordFormat.payloadOffset(3) - 1).bytes();

            assertThat(decode(value)).isEqualTo(DecodeError.TRUNCATED);
            assertThat(detail(value)).isEqualTo("length 30 is below 31, the end of the 3-byte source and payloadLen");
        }

        @Test
        void shouldReportBadUtf8BeforePayloadTooLarge() {
            byte[] value = RecordBytes.withoutChecksum("abc", 0).sourceByte(1, 0xC0).payloadLength(0xFFFF_FFFFL).bytes();

            assertThat(decode(value)).isEqualTo(DecodeError.BAD_SOURCE);
            assertThat(detail(value))
                    .isEqualTo("source is not strict UTF-8: ill-formed sequence at source index 1 (byte 0xC0)");
        }

        @Test
        void shouldReportPayloadTooLargeBeforeTruncatedPayload() {
            byte[] value = RecordBytes.withoutChecksum("abc", 0).payloadLength(SMALL_MAX + 1).bytes();

            assertThat(decode(value, SMALL_MAX)).isEqualTo(DecodeError.PAYLOAD_TOO_LARGE);
            assertThat(detail(value, SMALL_MAX)).isEqualTo("payloadLen 17 is above the maximum 16");
        }

        @Test
        void shouldReadPayloadLengthAsUnsigned() {
            byte[] value = RecordBytes.withoutChecksum("abc", 0).payloadLength(0xFFFF_FFFFL).bytes();

            assertThat(decode(value)).isEqualTo(DecodeError.PAYLOAD_TOO_LARGE);
            assertThat(detail(value)).isEqualTo("payloadLen 4294967295 is above the maximum 1048576");
        }

        @Test
        void shouldAcceptPayloadExactlyAtTheMaximum() {
            assertThat(decode(RecordBytes.withChecksum("abc", SMALL_MAX).bytes(), SMALL_MAX)).isNull();
            assertThat(decode(RecordBytes.withChecksum("abc", SMALL_MAX + 1).bytes(), SMALL_MAX))
                    .isEqualTo(DecodeError.PAYLOAD_TOO_LARGE);
        }

        @Test
        void shouldReportTruncatedPayloadBeforeBadChecksum() {
            byte[] value = RecordBytes.designExample().truncateBy(1).bytes();

            assertThat(decode(value)).isEqualTo(DecodeError.TRUNCATED);
            assertThat(detail(value)).isEqualTo("length 41 is below the declared end 42 (source 5, payload 5, crc 4)");
        }

        @Test
        void shouldReportTruncatedWhenChecksumFlagIsSetButTrailerIsMissing() {
            byte[] value = RecordBytes.withoutChecksum("abc", 2).flags(RawRecordFormat.FLAG_CHECKSUM).bytes();

            assertThat(decode(value)).isEqualTo(DecodeError.TRUNCATED);
        }

        // TRUNCATED at step 12 and TRAILING_BYTES at step 13 exclude each other, so that pair has no test.

        @Test
        void shouldReportTrailingBytesBeforeBadChecksum() {
            byte[] value = RecordBytes.designExample().flipByte(41).append(3).bytes();

            assertThat(decode(value)).isEqualTo(DecodeError.TRAILING_BYTES);
            assertThat(detail(value))
                    .isEqualTo("length 45 is above the declared end 42 (source 5, payload 5, crc 4)");
        }

        @Test
        void shouldReportTrailingBytesWhenTrailerIsPresentWithoutTheFlag() {
            byte[] value = RecordBytes.designExample().flags(0).bytes();

            assertThat(decode(value)).isEqualTo(DecodeError.TRAILING_BYTES);
        }

        @Test
        void shouldReportBadChecksumForAChangeInAnyFieldThatOtherRulesAccept() {
            int[] typeEventTimeSequenceSourcePayloadAndCrc = {2, 3, 6, 9, 13, 14, 21, 24, 28, 33, 37, 38, 41};
            for (int index : typeEventTimeSequenceSourcePayloadAndCrc) {
                assertThat(decode(RecordBytes.designExample().flipByte(index).bytes())).as("byte %d", index)
                        .isEqualTo(DecodeError.BAD_CHECKSUM);
            }
        }

        @Test
        void shouldExplainBadChecksumWithBothValues() {
            byte[] value = RecordBytes.designExample().flipByte(35).bytes();

            assertThat(decode(value)).isEqualTo(DecodeError.BAD_CHECKSUM);
            assertThat(detail(value)).matches("crc 0x1D871D1F does not match computed 0x[0-9A-F]{8}");
        }

    }

    @Nested
    class ValidRecords {

        @Test
        void shouldDecodeDesignExample() {
            RawRecordView view = new RawRecordView().wrap(RecordBytes.designExample().bytes());

            assertThat(view.isValid()).isTrue();
            assertThat(view.error()).isNull();
            assertThat(view.errorDetail()).isNull();
            assertThat(view.type()).isEqualTo(7);
            assertThat(view.flags()).isEqualTo(1);
            assertThat(view.hasChecksum()).isTrue();
            assertThat(view.eventTime()).isEqualTo(1764000000123L);
            assertThat(view.sequence()).isEqualTo(42L);
            assertThat(view.sourceAsString()).isEqualTo("dev-1");
            assertThat(view.payloadCopy()).containsExactly(PAYLOAD);
            assertThat(view.recordLength()).isEqualTo(42);
        }

        @Test
        void shouldEncodeDesignExampleByteForByte() {
            byte[] encoded = RawRecordWriter.encode(7, 1764000000123L, 42, "dev-1", PAYLOAD, true);

            assertThat(encoded).containsExactly(RecordBytes.designExample().bytes());
        }

        @Test
        void shouldDecodeUnicodeSource() {
            String source = "café-ü-東京-🚀";
            RawRecordView view = new RawRecordView().wrap(RawRecordWriter.encode(1, 0, 0, source, PAYLOAD, false));

            assertThat(view.sourceAsString()).isEqualTo(source);
            assertThat(view.sourceLength()).isEqualTo(source.getBytes(StandardCharsets.UTF_8).length);
            assertThat(view.sourceEquals(source.getBytes(StandardCharsets.UTF_8))).isTrue();
            assertThat(view.hasChecksum()).isFalse();
        }

        @Test
        void shouldAcceptSourceOfExactly255Bytes() {
            String source = "é".repeat(127) + "x";
            RawRecordView view = new RawRecordView().wrap(RawRecordWriter.encode(1, 0, 0, source, PAYLOAD, true));

            assertThat(view.sourceLength()).isEqualTo(RawRecordFormat.MAX_SOURCE_LENGTH);
            assertThat(view.sourceAsString()).isEqualTo(source);
        }

        @Test
        void shouldReadUnsignedTypeAndExtremeValues() {
            RawRecordView view = new RawRecordView()
                    .wrap(RawRecordWriter.encode(0xFFFF, Long.MIN_VALUE, Long.MAX_VALUE, "s", new byte[0], false));

            assertThat(view.type()).isEqualTo(0xFFFF);
            assertThat(view.eventTime()).isEqualTo(Long.MIN_VALUE);
            assertThat(view.sequence()).isEqualTo(Long.MAX_VALUE);
            assertThat(view.payloadLength()).isZero();
            assertThat(view.payloadCopy()).isEmpty();
        }

        @Test
        void shouldReadOnlyTheWindowInsideALargerArray() {
            byte[] record = RecordBytes.designExample().bytes();
            byte[] array = new byte[record.length + 20];
            Arrays.fill(array, (byte) 0xEE);
            System.arraycopy(record, 0, array, 7, record.length);

            RawRecordView view = new RawRecordView().wrap(array, 7, record.length);

            assertThat(view.isValid()).isTrue();
            assertThat(view.sourceAsString()).isEqualTo("dev-1");
            assertThat(view.payloadCopy()).containsExactly(PAYLOAD);
            assertThat(view.recordLength()).isEqualTo(record.length);
            assertThat(RawRecordView.validate(array, 7, record.length, SMALL_MAX)).isNull();
            assertThat(new RawRecordView().wrap(array, 7, record.length + 1).error()).isEqualTo(DecodeError.TRAILING_BYTES);
        }

        @Test
        void shouldRejectAWindowOutsideTheArray() {
            byte[] record = RecordBytes.designExample().bytes();

            assertThatThrownBy(() -> new RawRecordView().wrap(record, 1, record.length))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> RawRecordView.validate(record, -1, 2, SMALL_MAX))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Nested
    class Accessors {

        private final RawRecordView view = new RawRecordView().wrap(RecordBytes.designExample().bytes());

        @Test
        void shouldReadSourceBytesInPlace() {
            byte[] copy = new byte[7];
            view.copySource(copy, 2);

            assertThat(copy).containsExactly(0, 0, 'd', 'e', 'v', '-', '1');
            assertThat(view.sourceByte(4)).isEqualTo((byte) '1');
            assertThat(view.sourceEquals("dev-1".getBytes(StandardCharsets.UTF_8))).isTrue();
            assertThat(view.sourceEquals("dev-2".getBytes(StandardCharsets.UTF_8))).isFalse();
            assertThat(view.sourceEquals("dev-10".getBytes(StandardCharsets.UTF_8))).isFalse();
        }

        @Test
        void shouldReadPayloadBytesInPlace() {
            byte[] copy = new byte[6];
            view.copyPayload(copy, 1);

            assertThat(copy).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(view.payloadByte(0)).isEqualTo((byte) 1);
            assertThat(view.payloadByte(4)).isEqualTo((byte) 5);
        }

        @Test
        void shouldBoundsCheckIndexedAccess() {
            assertThatThrownBy(() -> view.payloadByte(5)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> view.payloadByte(-1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> view.sourceByte(5)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> view.copyPayload(new byte[4], 0)).isInstanceOf(IndexOutOfBoundsException.class);
        }

        @Test
        void shouldReturnAPayloadCopyThatOutlivesTheView() {
            byte[] record = RecordBytes.designExample().bytes();
            byte[] copy = view.wrap(record).payloadCopy();
            view.release();
            Arrays.fill(record, (byte) 0);

            assertThat(copy).containsExactly(PAYLOAD);
        }
    }

    @Nested
    class Lifecycle {

        private static final List<Consumer<RawRecordView>> ACCESSORS = List.of(
                RawRecordView::type, RawRecordView::flags, RawRecordView::hasChecksum, RawRecordView::eventTime,
                RawRecordView::sequence, RawRecordView::sourceLength, v -> v.sourceByte(0),
                v -> v.sourceEquals(new byte[1]), v -> v.copySource(new byte[255], 0), RawRecordView::sourceAsString,
                RawRecordView::payloadLength, v -> v.payloadByte(0), v -> v.copyPayload(new byte[10], 0),
                RawRecordView::payloadCopy, RawRecordView::recordLength);

        private static final List<Consumer<RawRecordView>> STATUS = List.of(
                RawRecordView::isValid, RawRecordView::error, RawRecordView::errorDetail);

        @Test
        void shouldFailLoudlyWhenViewIsUsedAfterRelease() {
            RawRecordView view = new RawRecordView().wrap(RecordBytes.designExample().bytes());
            view.release();

            for (Consumer<RawRecordView> accessor : concat(ACCESSORS, STATUS)) {
                assertThatThrownBy(() -> accessor.accept(view))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("used after release")
                        .hasMessageContaining("the handle call that lent it has returned")
                        .hasMessageContaining("must copy what it keeps during the call");
            }
        }

        @Test
        void shouldBeUsableAgainAfterNextWrap() {
            RawRecordView view = new RawRecordView().wrap(RecordBytes.designExample().bytes());
            view.release();
            view.release();

            assertThat(view.wrap(RecordBytes.designExample().sequence(43).fixChecksum().bytes()).sequence()).isEqualTo(43L);
        }

        @Test
        void shouldNameTheDecodeErrorWhenFieldsOfAnInvalidViewAreRead() {
            RawRecordView view = new RawRecordView().wrap(RecordBytes.designExample().flipByte(35).bytes());

            for (Consumer<RawRecordView> accessor : ACCESSORS) {
                assertThatThrownBy(() -> accessor.accept(view))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("BAD_CHECKSUM")
                        .hasMessageContaining("does not match computed");
            }
        }

        @Test
        void shouldFailLoudlyOnAnotherThreadEvenWhileWrapped() throws Exception {
            RawRecordView view = new RawRecordView().wrap(RecordBytes.designExample().bytes());
            ExecutorService other = Executors.newSingleThreadExecutor(r -> new Thread(r, "async-stage"));
            try {
                for (Consumer<RawRecordView> accessor : concat(ACCESSORS, STATUS)) {
                    Future<?> read = other.submit(() -> accessor.accept(view));

                    assertThatThrownBy(read::get).cause()
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("used on thread async-stage but wrapped on thread "
                                    + Thread.currentThread().getName())
                            .hasMessageContaining("before handle returns");
                }
                assertThat(other.submit(view::toString).get()).isEqualTo("RawRecordView{lent on another thread}");
            } finally {
                other.shutdownNow();
            }
            assertThat(view.sequence()).as("still readable on its own thread").isEqualTo(42L);
        }

        @Test
        void shouldRefuseToReadBeforeTheFirstWrap() {
            RawRecordView view = new RawRecordView();

            assertThatThrownBy(view::type).isInstanceOf(IllegalStateException.class).hasMessageContaining("not been wrapped");
            assertThatThrownBy(view::isValid).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void shouldForgetTheEarlierErrorOnWrap() {
            RawRecordView view = new RawRecordView().wrap(new byte[] {0});
            assertThat(view.errorDetail()).startsWith("expected magic");

            view.wrap(RecordBytes.designExample().bytes());

            assertThat(view.error()).isNull();
            assertThat(view.errorDetail()).isNull();
        }

        @Test
        void shouldRejectNonPositiveMaximum() {
            assertThatThrownBy(() -> new RawRecordView(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("0");
            assertThatThrownBy(() -> RawRecordView.validate(new byte[1], 0, 1, -1))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        private List<Consumer<RawRecordView>> concat(List<Consumer<RawRecordView>> a, List<Consumer<RawRecordView>> b) {
            return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
        }
    }
}
