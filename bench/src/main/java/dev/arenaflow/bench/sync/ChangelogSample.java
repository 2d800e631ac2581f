package dev.arenaflow.bench.sync;

/**
 * The changelog writes of one arenaflow run of the session plugin.
 *
 * @param label guarantee and partitions, e.g. {@code eos.p4}
 * @param inputRecords input records the run handled
 * @param arena what was written to the session arena's changelog
 * @param state what was written to the session plugin's own state store changelog
 */
record ChangelogSample(String label, long inputRecords, TopicSize arena, TopicSize state) {
}
