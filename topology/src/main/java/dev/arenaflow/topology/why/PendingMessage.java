package dev.arenaflow.topology.why;

/**
 * One un-acknowledged message of a source, as the task holding it sees it now.
 *
 * @param topic its input topic
 * @param partition its input partition
 * @param offset its input offset
 * @param attempt the attempt it is on (1 on the first try)
 * @param stage where it is
 * @param sinceMs for {@link Stage#IN_FLIGHT}, when the attempt started; else -1
 * @param untilMs for {@link Stage#WAITING_FOR_RETRY} and {@link Stage#DEFERRED}, when it may be dispatched; else -1
 * @param behindOffset for {@link Stage#QUEUED} and {@link Stage#PARKED}, the input offset of the source's head
 *                     it waits behind; else -1
 * @param lastError the code and message of its last failed attempt, as its retry record carried them; null if none
 */
public record PendingMessage(String topic, int partition, long offset, int attempt, Stage stage, long sinceMs,
                             long untilMs, long behindOffset, String lastError) {

    /** Where an un-acknowledged message is. */
    public enum Stage {
        /** An async attempt is running. */
        IN_FLIGHT,
        /** Its retry record is in a retry topic and has not come back yet. */
        AWAITING_RETRY_RECORD,
        /** Back from a retry topic, waiting for its not-before time. */
        WAITING_FOR_RETRY,
        /** The plugin deferred it. */
        DEFERRED,
        /** Held because the plugin is paused or disabled. */
        HELD_BY_PAUSE,
        /** Waiting behind its source's head, counted as in flight. */
        QUEUED,
        /** Waiting behind its source's head, parked: the head waits for a retry, or the source is quarantined. */
        PARKED,
        /** Being dispatched now; seen only in a race with the answer. */
        DISPATCHING;

        /** @return the stage as the API and the CLI name it */
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }
}
