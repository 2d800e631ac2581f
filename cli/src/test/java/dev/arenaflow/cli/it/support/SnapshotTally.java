package dev.arenaflow.cli.it.support;

import dev.arenaflow.cli.it.support.InputLedger.Input;
import dev.arenaflow.cli.it.support.InputLedger.Key;
import dev.arenaflow.cli.it.support.InputLedger.Position;
import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.schemas.SnapshotMeta;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Counts the snapshots of the {@code slow} plugin per input position and per (source, sequence),
 * and checks each snapshot's own fields, so a test can say which inputs got none or more than one.
 *
 * <p>Threading notes: thread-safe; a watcher thread adds while the test thread reads.
 */
public final class SnapshotTally {

    private static final int SHOWN = 10;
    private static final Comparator<Position> BY_POSITION =
            Comparator.comparingInt(Position::partition).thenComparingLong(Position::offset);

    private final String plugin;
    private final String inputTopic;
    private final Map<Position, Integer> byPosition = new HashMap<>();
    private final Map<Position, Key> keyAt = new HashMap<>();
    private final Map<Key, Integer> byKey = new HashMap<>();
    private final Map<Integer, Integer> retriedByPartition = new TreeMap<>();
    private final Map<Integer, Integer> byAttempt = new TreeMap<>();
    private final List<String> malformed = new ArrayList<>();
    private final Map<String, Long> lastSequence = new HashMap<>();
    private final List<String> outOfSourceOrder = new ArrayList<>();
    private long total;

    /** Where each input's snapshots were found: snapshot partition@offset#attempt. */
    private final Map<Position, List<String>> foundAt = new HashMap<>();

    public SnapshotTally(String plugin, String inputTopic) {
        this.plugin = plugin;
        this.inputTopic = inputTopic;
    }

    public synchronized void add(ConsumerRecord<byte[], SessionSnapshot> record) {
        SnapshotMeta meta = record.value().getMeta();
        Position position = new Position(meta.getInputPartition(), meta.getInputOffset());
        Key key = new Key(meta.getSource(), meta.getSequence());
        total++;
        byPosition.merge(position, 1, Integer::sum);
        foundAt.computeIfAbsent(position, p -> new ArrayList<>())
                .add(record.partition() + "@" + record.offset() + "#" + meta.getAttempt());
        byKey.merge(key, 1, Integer::sum);
        byAttempt.merge(meta.getAttempt(), 1, Integer::sum);
        if (meta.getAttempt() > 1) {
            retriedByPartition.merge(position.partition(), 1, Integer::sum);
        }
        Key before = keyAt.putIfAbsent(position, key);
        check(before == null || before.equals(key), record, "names " + key + " but an earlier snapshot of "
                + position + " named " + before);
        checkFields(record, meta);
        checkSourceOrder(record, meta);
    }

    /** A source's inputs carry rising sequences, and its snapshots share one partition, read in order. */
    private void checkSourceOrder(ConsumerRecord<byte[], SessionSnapshot> record, SnapshotMeta meta) {
        Long last = lastSequence.put(meta.getSource(), meta.getSequence());
        if (last != null && last >= meta.getSequence() && outOfSourceOrder.size() < SHOWN) {
            outOfSourceOrder.add("snapshot at " + record.partition() + "@" + record.offset() + " of " + meta.getSource()
                    + "#" + meta.getSequence() + " after #" + last);
        }
    }

    private void checkFields(ConsumerRecord<byte[], SessionSnapshot> record, SnapshotMeta meta) {
        check(meta.getPlugin().equals(plugin), record, "plugin " + meta.getPlugin());
        check(meta.getInputTopic().equals(inputTopic), record, "input topic " + meta.getInputTopic());
        check(meta.getAttempt() >= 1, record, "attempt " + meta.getAttempt());
        check(new String(record.key(), StandardCharsets.UTF_8).equals(meta.getSource()), record, "record key differs");
        check(record.value().getCount() == InputFeed.payloadLength(meta.getSequence()), record,
                "count " + record.value().getCount() + " is not the payload length");
    }

    private void check(boolean ok, ConsumerRecord<byte[], SessionSnapshot> record, String problem) {
        if (!ok && malformed.size() < SHOWN) {
            malformed.add("snapshot at " + record.partition() + "@" + record.offset() + ": " + problem + " in "
                    + record.value().getMeta());
        }
    }

    /** @return snapshots counted, duplicates included */
    public synchronized long total() {
        return total;
    }

    /** @return input positions with at least one snapshot */
    public synchronized int distinct() {
        return byPosition.size();
    }

    /** @return (source, sequence) pairs with at least one snapshot, of the sources that match */
    public synchronized long distinctOf(java.util.function.Predicate<String> source) {
        return byKey.keySet().stream().filter(k -> source.test(k.source())).count();
    }

    /**
     * @return the first few snapshots that came after a snapshot of the same source with an equal or
     *         higher sequence (a repeat after a crash counts too); empty if every source's were in order
     */
    public synchronized List<String> outOfSourceOrder() {
        return List.copyOf(outOfSourceOrder);
    }

    /** @return input positions with at least one snapshot, per input partition */
    public synchronized Map<Integer, Integer> distinctByPartition() {
        Map<Integer, Integer> counts = new TreeMap<>();
        byPosition.keySet().forEach(p -> counts.merge(p.partition(), 1, Integer::sum));
        return counts;
    }

    /** @return the highest attempt seen, 0 if none */
    public synchronized int maxAttempt() {
        return byAttempt.isEmpty() ? 0 : ((TreeMap<Integer, Integer>) byAttempt).lastKey();
    }

    /** @return snapshots per attempt */
    public synchronized Map<Integer, Integer> byAttempt() {
        return new TreeMap<>(byAttempt);
    }

    /** @return snapshots with attempt above 1, per input partition */
    public synchronized Map<Integer, Integer> retriedByPartition() {
        return new TreeMap<>(retriedByPartition);
    }

    /** @return descriptions of snapshots whose own fields are wrong; empty if all are right */
    public synchronized List<String> malformed() {
        return List.copyOf(malformed);
    }

    /** @return the inputs with no snapshot, in position order */
    public synchronized List<Position> missing(InputLedger ledger) {
        return ledger.all().keySet().stream().filter(p -> !byPosition.containsKey(p)).sorted(BY_POSITION).toList();
    }

    /** @return the (source, sequence) pairs produced but never seen in a snapshot */
    public synchronized List<Key> missingKeys(InputLedger ledger) {
        return ledger.all().values().stream().map(Input::key).filter(k -> !byKey.containsKey(k))
                .sorted(Comparator.comparing(Key::source).thenComparingLong(Key::sequence)).toList();
    }

    /** @return positions with more than one snapshot, and how many, in position order */
    public synchronized Map<Position, Integer> duplicated() {
        return byPosition.entrySet().stream().filter(e -> e.getValue() > 1)
                .sorted(Map.Entry.comparingByKey(BY_POSITION))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** @return (source, sequence) pairs with more than one snapshot */
    public synchronized Map<Key, Integer> duplicatedKeys() {
        return byKey.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** @return snapshots beyond the first of their input */
    public synchronized long extraSnapshots() {
        return total - byPosition.size();
    }

    /** @return snapshot positions that no produced input has, or whose (source, sequence) differs from it */
    public synchronized List<String> strangers(InputLedger ledger) {
        List<String> strangers = new ArrayList<>();
        keyAt.forEach((position, key) -> {
            Input input = ledger.at(position);
            if (input == null || !input.key().equals(key)) {
                strangers.add(position + " names " + key + " but the input there is " + input);
            }
        });
        return strangers;
    }

    /** @return the first few missing and duplicated inputs, described for a failure message */
    public synchronized String describe(InputLedger ledger) {
        List<Position> missing = missing(ledger);
        Map<Position, Integer> duplicated = duplicated();
        return "inputs " + ledger.size() + ", snapshots " + total + ", distinct " + byPosition.size()
                + ", by attempt " + byAttempt
                + "\nmissing " + missing.size() + ", first: " + missing.stream().limit(SHOWN)
                        .map(p -> p + "=" + ledger.at(p)).toList()
                + "\nduplicated " + duplicated.size() + ", first: " + duplicated.entrySet().stream().limit(SHOWN)
                        .map(e -> e.getKey() + "=" + ledger.at(e.getKey()) + " x" + e.getValue() + " at "
                                + foundAt.get(e.getKey())).toList()
                + "\nmalformed: " + malformed + "\n";
    }
}
