package dev.arenaflow.cli.replay;

import dev.arenaflow.topology.DeadLetterHeaders;
import org.apache.kafka.common.header.Headers;

/**
 * What replay does with one selected record, before anything is written.
 *
 * @param verdict replay it, keep it where it is, or skip it
 * @param replayCount how often it was replayed before, from {@value DeadLetterHeaders#REPLAY_COUNT}
 * @param reason why it is skipped; null otherwise
 */
public record ReplayCheck(Verdict verdict, long replayCount, String reason) {

    /** The three outcomes of a check. */
    public enum Verdict {
        /** Copy it into the retry topic. */
        REPLAY,
        /** It reached the replay limit: it failed again after every replay, so another is unlikely to help. */
        KEEP,
        /** It is not a dead letter that this plugin's retry path can take back. */
        SKIP
    }

    /**
     * @param headers the record's headers
     * @param plugin the plugin replayed into
     * @param maxReplays records replayed this often already are kept
     * @return the check
     */
    public static ReplayCheck of(Headers headers, String plugin, long maxReplays) {
        long count = ReplayHeaders.replayCount(headers);
        String problem = originProblem(headers);
        if (problem == null) {
            problem = pluginProblem(headers, plugin);
        }
        if (problem != null) {
            return new ReplayCheck(Verdict.SKIP, count, problem);
        }
        return new ReplayCheck(count >= maxReplays ? Verdict.KEEP : Verdict.REPLAY, count, null);
    }

    // The application keys a retried message by its origin; without one it would dead-letter the replay at once.
    private static String originProblem(Headers headers) {
        String topic = DeadLetterHeaders.text(headers, DeadLetterHeaders.ORIGIN_TOPIC);
        Long partition = DeadLetterHeaders.number(headers, DeadLetterHeaders.ORIGIN_PARTITION);
        Long offset = DeadLetterHeaders.number(headers, DeadLetterHeaders.ORIGIN_OFFSET);
        if (topic == null || topic.isEmpty()) {
            return "not an arenaflow dead letter: header " + DeadLetterHeaders.ORIGIN_TOPIC + " is missing";
        }
        if (partition == null || partition < 0 || partition > Integer.MAX_VALUE) {
            return "not an arenaflow dead letter: header " + DeadLetterHeaders.ORIGIN_PARTITION
                    + " is missing or not a partition";
        }
        if (offset == null || offset < 0) {
            return "not an arenaflow dead letter: header " + DeadLetterHeaders.ORIGIN_OFFSET
                    + " is missing or not an offset";
        }
        return null;
    }

    // A --from-topic of another plugin (or the decoder) would feed this plugin messages it never failed on.
    private static String pluginProblem(Headers headers, String plugin) {
        String owner = DeadLetterHeaders.text(headers, DeadLetterHeaders.PLUGIN);
        if (owner == null || owner.equals(plugin)) {
            return null;
        }
        return "a dead letter of " + (DeadLetterHeaders.DECODE_PLUGIN.equals(owner) ? "the decoder" : "plugin '" + owner + "'")
                + ", not of plugin '" + plugin + "'";
    }
}
