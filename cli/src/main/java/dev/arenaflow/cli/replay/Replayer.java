package dev.arenaflow.cli.replay;

import dev.arenaflow.topology.DeadLetterHeaders;
import dev.arenaflow.cli.io.ProgressLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads the planned ranges of the source topic and replays the selected records, one poll at a
 * time: it sends that poll's replays, flushes, and only then prints the poll's lines, in source
 * order, so a line that says {@code replayed} means the broker has the record.
 *
 * <p>Threading notes: confined to one thread, which owns the consumer; the producer's callbacks
 * are not used.
 */
public final class Replayer {

    static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    /** Where output lines go. */
    @FunctionalInterface
    public interface Output {
        /** @param json one line, without a line end @return false once the output is closed */
        boolean line(String json);
    }

    private final ReplayRequest request;
    private final RetryTarget target;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final LongSupplier wallClockMs;
    private final Output output;
    private final ProgressLine progress;
    private final ReplayTally tally = new ReplayTally();
    private long replaysStarted;

    /**
     * @param request what to do
     * @param target where to write
     * @param consumer a consumer without a group, not yet assigned; the caller closes it
     * @param producer an idempotent producer, or null for a dry run; the caller closes it
     * @param wallClockMs the time put into {@code arenaflow.not.before.ms}
     * @param output where each selected record's line goes
     * @param progress the progress line on standard error
     */
    public Replayer(ReplayRequest request, RetryTarget target, Consumer<byte[], byte[]> consumer,
                    Producer<byte[], byte[]> producer, LongSupplier wallClockMs, Output output, ProgressLine progress) {
        if (producer == null && !request.dryRun()) {
            throw new IllegalArgumentException("a replay that writes needs a producer");
        }
        this.request = request;
        this.target = target;
        this.consumer = consumer;
        this.producer = request.dryRun() ? null : producer;
        this.wallClockMs = wallClockMs;
        this.output = output;
        this.progress = progress;
    }

    /**
     * @param plan the ranges to read, from {@link ReadRange#plan}
     * @param stopRequested polled between reads; a {@link WakeupException} from the consumer also stops it
     * @return what happened
     */
    public ReplayTally run(List<ReadRange> plan, BooleanSupplier stopRequested) {
        Map<TopicPartition, ReadRange> open = new LinkedHashMap<>();
        Map<TopicPartition, Long> next = new LinkedHashMap<>();
        plan.stream().filter(r -> !r.isEmpty()).forEach(r -> {
            open.put(r.partition(), r);
            next.put(r.partition(), r.start());
        });
        try {
            consumer.assign(open.keySet());
            next.forEach(consumer::seek);
            while (!open.isEmpty() && tally.stop() == ReplayTally.Stop.FINISHED) {
                if (stopRequested.getAsBoolean()) {
                    tally.stop(ReplayTally.Stop.INTERRUPTED);
                    break;
                }
                report(take(consumer.poll(POLL_TIMEOUT), open, next));
                if (tally.stop() == ReplayTally.Stop.FINISHED) {
                    advance(open, next);
                }
                progress.update(this::progressText);
            }
        } catch (WakeupException e) {
            tally.stop(ReplayTally.Stop.INTERRUPTED);
        } catch (KafkaException e) {
            tally.fail(describe(e));
        }
        open.values().forEach(r -> {
            if (next.get(r.partition()) < r.end()) {
                tally.unread(new ReadRange(r.partition(), next.get(r.partition()), r.end()));
            }
        });
        return tally;
    }

    /** A line whose write may still be in flight. */
    private record Pending(ReplayOutcome outcome, Future<RecordMetadata> write) {
    }

    private List<Pending> take(ConsumerRecords<byte[], byte[]> records, Map<TopicPartition, ReadRange> open,
                               Map<TopicPartition, Long> next) {
        List<Pending> batch = new ArrayList<>();
        for (TopicPartition partition : records.partitions()) {
            ReadRange range = open.get(partition);
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                if (range == null || record.offset() >= range.end()) {
                    break;
                }
                if (!take(record, batch)) {
                    return batch;
                }
                next.put(partition, record.offset() + 1);
            }
        }
        return batch;
    }

    /** @return false to stop before this record, which then stays unread */
    private boolean take(ConsumerRecord<byte[], byte[]> record, List<Pending> batch) {
        if (request.selection().matches(record)) {
            ReplayCheck check = ReplayCheck.of(record.headers(), request.plugin(), request.maxReplays());
            String dropped = DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.VALUE_DROPPED_BYTES);
            if (dropped != null && check.verdict() == ReplayCheck.Verdict.REPLAY) {
                // Its value did not fit the dead-letter topic; replaying the empty record would only fail again.
                batch.add(leftAlone(record, ReplayAction.KEPT, check, "its " + dropped + "-byte value was not kept "
                        + "(over the dead-letter limit); it is at " + DeadLetterHeaders.text(record.headers(),
                        DeadLetterHeaders.ORIGIN_TOPIC) + "-" + DeadLetterHeaders.text(record.headers(),
                        DeadLetterHeaders.ORIGIN_PARTITION) + "@" + DeadLetterHeaders.text(record.headers(),
                        DeadLetterHeaders.ORIGIN_OFFSET) + " while that topic retains it"));
                tally.countRead();
                return tally.stop() == ReplayTally.Stop.FINISHED;
            }
            switch (check.verdict()) {
                case SKIP -> batch.add(leftAlone(record, ReplayAction.SKIPPED, check, check.reason()));
                case KEEP -> batch.add(leftAlone(record, ReplayAction.KEPT, check, String.format(Locale.ROOT,
                        "replayed %d times already; --max-replays is %d", check.replayCount(), request.maxReplays())));
                default -> {
                    if (replaysStarted == request.maxRecords()) {
                        tally.stop(ReplayTally.Stop.CAPPED);
                        return false;
                    }
                    replaysStarted++;
                    batch.add(replay(record, check));
                }
            }
        }
        tally.countRead();
        return tally.stop() == ReplayTally.Stop.FINISHED;
    }

    private static Pending leftAlone(ConsumerRecord<byte[], byte[]> record, ReplayAction action, ReplayCheck check,
                                     String reason) {
        return new Pending(ReplayOutcome.leftAlone(record, action, check.replayCount(), reason), null);
    }

    private Pending replay(ConsumerRecord<byte[], byte[]> record, ReplayCheck check) {
        int partition = target.partitionFor(record.headers(), record.partition());
        ReplayOutcome outcome = ReplayOutcome.moved(record, request.dryRun() ? ReplayAction.WOULD_REPLAY
                : ReplayAction.REPLAYED, check.replayCount() + 1, target.topic(), partition);
        if (request.dryRun()) {
            return new Pending(outcome, null);
        }
        // A record without a timestamp (-1) gets the time of writing rather than being refused.
        Long timestamp = record.timestamp() >= 0 ? record.timestamp() : null;
        try {
            return new Pending(outcome, producer.send(new ProducerRecord<>(target.topic(), partition, timestamp,
                    record.key(), record.value(), ReplayHeaders.rewrite(record.headers(), wallClockMs.getAsLong()))));
        } catch (KafkaException e) {
            tally.fail(describe(e));
            return new Pending(outcome.failed(describe(e)), null);
        }
    }

    private void report(List<Pending> batch) {
        String unconfirmed = flush(batch);
        for (Pending pending : batch) {
            ReplayOutcome outcome = resolve(pending, unconfirmed);
            if (outcome.action() == ReplayAction.FAILED) {
                tally.fail(outcome.error());
            }
            tally.add(outcome.action());
            if (!output.line(outcome.json())) {
                tally.stop(ReplayTally.Stop.OUTPUT_CLOSED);
            }
        }
    }

    /** @return null, or why writes of this batch may be left unconfirmed */
    private String flush(List<Pending> batch) {
        if (producer == null || batch.stream().allMatch(p -> p.write() == null)) {
            return null;
        }
        try {
            producer.flush();
            return null;
        } catch (KafkaException e) {
            return describe(e);
        }
    }

    private static ReplayOutcome resolve(Pending pending, String unconfirmed) {
        if (pending.write() == null) {
            return pending.outcome();
        }
        if (!pending.write().isDone()) {
            return pending.outcome().failed("not confirmed: " + unconfirmed);
        }
        try {
            return pending.outcome().written(pending.write().get().offset());
        } catch (ExecutionException e) {
            return pending.outcome().failed(describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return pending.outcome().failed("interrupted while reading the result of the write");
        }
    }

    /** Moves past what the consumer skipped without handing out (transaction markers, compacted offsets). */
    private void advance(Map<TopicPartition, ReadRange> open, Map<TopicPartition, Long> next) {
        List<TopicPartition> done = new ArrayList<>();
        for (Iterator<ReadRange> ranges = open.values().iterator(); ranges.hasNext(); ) {
            ReadRange range = ranges.next();
            long reached = Math.min(Math.max(next.get(range.partition()), consumer.position(range.partition())),
                    range.end());
            next.put(range.partition(), reached);
            if (reached >= range.end()) {
                done.add(range.partition());
                ranges.remove();
            }
        }
        // Records past the planned end are not wanted: stop fetching them.
        if (!done.isEmpty()) {
            consumer.pause(done);
        }
    }

    private String progressText() {
        return String.format(Locale.ROOT, "replay: read %,d records, %,d selected, %,d %s", tally.read(),
                tally.selected(), replaysStarted, request.dryRun() ? "would be replayed" : "replayed");
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
