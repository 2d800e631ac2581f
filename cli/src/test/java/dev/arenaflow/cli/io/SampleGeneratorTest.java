package dev.arenaflow.cli.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arenaflow.record.DecodeError;
import dev.arenaflow.record.RawRecordView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SampleGeneratorTest {

    private static final long NOW = 1_764_000_000_000L;
    private static final int COUNT = 10_000;

    private static SampleGenerator generator(double gapRate, double duplicateRate, double malformedRate, long seed) {
        return new SampleGenerator(new SampleGenerator.Settings(20, seed, gapRate, duplicateRate, malformedRate, 32, 7,
                SampleGenerator.Interleave.RANDOM), () -> NOW);
    }

    private static List<OutgoingRecord> take(SampleGenerator generator, int count) {
        List<OutgoingRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(generator.next());
        }
        return records;
    }

    @Test
    void shouldBeDeterministicForASeedAndClock() {
        List<OutgoingRecord> first = take(generator(0.05, 0.05, 0.05, 42), 500);
        List<OutgoingRecord> second = take(generator(0.05, 0.05, 0.05, 42), 500);
        List<OutgoingRecord> other = take(generator(0.05, 0.05, 0.05, 43), 500);

        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).key()).isEqualTo(first.get(i).key());
            assertThat(second.get(i).value()).isEqualTo(first.get(i).value());
            assertThat(second.get(i).intendedError()).isEqualTo(first.get(i).intendedError());
        }
        assertThat(other).extracting(record -> new String(record.value(), StandardCharsets.ISO_8859_1))
                .isNotEqualTo(first.stream().map(record -> new String(record.value(), StandardCharsets.ISO_8859_1)).toList());
    }

    @Test
    void shouldIncreaseSequencesPerSourceApartFromConfiguredGapsAndDuplicates() {
        SampleGenerator generator = generator(0.02, 0.02, 0, 1);
        RawRecordView view = new RawRecordView();
        Map<String, Long> last = new HashMap<>();
        Map<String, byte[]> lastValue = new HashMap<>();
        long gaps = 0;
        long skipped = 0;
        long duplicates = 0;
        for (OutgoingRecord record : take(generator, COUNT)) {
            assertThat(view.wrap(record.value()).isValid()).isTrue();
            String source = view.sourceAsString();
            assertThat(record.key()).isEqualTo(source.getBytes(StandardCharsets.UTF_8));
            Long previous = last.get(source);
            if (previous == null) {
                assertThat(view.sequence()).isZero();
            } else if (view.sequence() == previous) {
                duplicates++;
                assertThat(record.value()).as("a duplicate resends the same bytes").isEqualTo(lastValue.get(source));
            } else {
                assertThat(view.sequence()).isGreaterThan(previous);
                long step = view.sequence() - previous;
                assertThat(step).isLessThanOrEqualTo(1 + SampleGenerator.MAX_GAP);
                gaps += step > 1 ? 1 : 0;
                skipped += step - 1;
            }
            last.put(source, view.sequence());
            lastValue.put(source, record.value());
        }
        assertThat(gaps).isEqualTo(generator.gaps());
        assertThat(skipped).isEqualTo(generator.skippedSequences());
        assertThat(duplicates).isEqualTo(generator.duplicates());
        assertThat(duplicates / (double) COUNT).isCloseTo(0.02, within(0.006));
        assertThat(gaps / (double) COUNT).isCloseTo(0.02 * 0.98, within(0.006));
    }

    @Test
    void shouldNeitherGapNorDuplicateAtRateZero() {
        SampleGenerator generator = generator(0, 0, 0, 5);
        take(generator, 2_000);

        assertThat(generator.gaps()).isZero();
        assertThat(generator.duplicates()).isZero();
    }

    @Test
    void shouldMakeVariedMalformedRecordsThatTheDecoderRejects() {
        SampleGenerator generator = generator(0, 0, 0.1, 9);
        RawRecordView view = new RawRecordView();
        Set<DecodeError> seen = EnumSet.noneOf(DecodeError.class);
        long malformed = 0;
        for (OutgoingRecord record : take(generator, COUNT)) {
            view.wrap(record.value());
            if (record.malformed()) {
                malformed++;
                assertThat(view.isValid()).isFalse();
                assertThat(view.error()).isEqualTo(record.intendedError());
                seen.add(view.error());
            } else {
                assertThat(view.isValid()).isTrue();
            }
        }
        assertThat(malformed).isEqualTo(generator.malformed());
        assertThat(malformed / (double) COUNT).isCloseTo(0.1, within(0.015));
        assertThat(seen).containsExactlyInAnyOrder(DecodeError.values());
    }

    @Test
    void shouldNotUseUpASequenceNumberForAMalformedRecord() {
        SampleGenerator generator = new SampleGenerator(new SampleGenerator.Settings(1, 3, 0, 0, 0.3, 8, 7,
                SampleGenerator.Interleave.ROUND_ROBIN), () -> NOW);
        RawRecordView view = new RawRecordView();

        List<Long> sequences = take(generator, 300).stream().filter(record -> !record.malformed())
                .map(record -> view.wrap(record.value()).sequence()).toList();

        for (int i = 0; i < sequences.size(); i++) {
            assertThat(sequences.get(i)).isEqualTo(i);
        }
    }

    @Test
    void shouldDecodeValidRecordsWithTheConfiguredFields() {
        SampleGenerator generator = new SampleGenerator(new SampleGenerator.Settings(3, 1, 0, 0, 0, 64, 12,
                SampleGenerator.Interleave.ROUND_ROBIN), () -> NOW);
        RawRecordView view = new RawRecordView();

        List<String> sources = new ArrayList<>();
        for (OutgoingRecord record : take(generator, 6)) {
            view.wrap(record.value());
            sources.add(view.sourceAsString());
            assertThat(view.type()).isEqualTo(12);
            assertThat(view.payloadLength()).isEqualTo(64);
            assertThat(view.hasChecksum()).isTrue();
            assertThat(view.eventTime())
                    .isBetween(NOW - SampleGenerator.MAX_JITTER_MILLIS, NOW + SampleGenerator.MAX_JITTER_MILLIS);
        }
        assertThat(sources).containsExactly(
                "sensor-001", "sensor-002", "sensor-003", "sensor-001", "sensor-002", "sensor-003");
    }

    @Test
    void shouldFollowTheClockForEventTimes() {
        long[] now = {NOW};
        SampleGenerator generator = new SampleGenerator(SampleGenerator.Settings.defaults(2, 1), () -> now[0]);
        RawRecordView view = new RawRecordView();

        now[0] = NOW + 60_000;

        assertThat(view.wrap(generator.next().value()).eventTime()).isBetween(NOW + 59_900, NOW + 60_100);
    }

    @Test
    void shouldWidenSourceNamesForManySources() {
        SampleGenerator generator = new SampleGenerator(SampleGenerator.Settings.defaults(12_000, 1), () -> NOW);

        assertThat(generator.sourceName(0)).isEqualTo("sensor-00001");
        assertThat(generator.sourceName(11_999)).isEqualTo("sensor-12000");
    }

    @Test
    void shouldRejectBadSettingsNamingThem() {
        assertThatThrownBy(() -> new SampleGenerator.Settings(0, 1, 0, 0, 0, 1, 1, SampleGenerator.Interleave.RANDOM))
                .hasMessage("sources must be at least 1 but was 0");
        assertThatThrownBy(() -> new SampleGenerator.Settings(1, 1, 0, 0.6, 0.6, 1, 1, SampleGenerator.Interleave.RANDOM))
                .hasMessage("duplicate rate plus malformed rate must be at most 1 but was 1.2");
        assertThatThrownBy(() -> new SampleGenerator.Settings(1, 1, -0.1, 0, 0, 1, 1, SampleGenerator.Interleave.RANDOM))
                .hasMessage("gap rate must be in 0..1 but was -0.1");
        assertThatThrownBy(() -> new SampleGenerator.Settings(1, 1, 0, 0, 0, -1, 1, SampleGenerator.Interleave.RANDOM))
                .hasMessageStartingWith("payload bytes must be in 0..");
        assertThatThrownBy(() -> new SampleGenerator.Settings(1, 1, 0, 0, 0, 1, 70_000, SampleGenerator.Interleave.RANDOM))
                .hasMessage("type must be in 0..65535 but was 70000");
    }

    @Test
    void shouldMakeMalformedRecordsFromEmptyPayloadsToo() {
        SampleGenerator generator = new SampleGenerator(new SampleGenerator.Settings(2, 4, 0, 0, 1, 0, 7,
                SampleGenerator.Interleave.RANDOM), () -> NOW);
        RawRecordView view = new RawRecordView();

        for (OutgoingRecord record : take(generator, 1_000)) {
            assertThat(view.wrap(record.value()).error()).isEqualTo(record.intendedError());
        }
    }
}
