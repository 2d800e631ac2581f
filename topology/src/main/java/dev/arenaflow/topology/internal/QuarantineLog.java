package dev.arenaflow.topology.internal;

import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the log which sources a task quarantined and why: the first {@value #INFO_PER_MINUTE} of
 * each minute at INFO, the rest (and every release) at DEBUG, so that a thousand stuck sources do
 * not flood the log; the meters count them all.
 *
 * <p>Threading notes: stream thread only.
 */
final class QuarantineLog implements Quarantine.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(QuarantineLog.class);
    static final int INFO_PER_MINUTE = 10;
    private static final long MINUTE_MS = 60_000;

    private final String where;
    private final LongSupplier clock;
    private long minuteStartMs = Long.MIN_VALUE;
    private int loggedThisMinute;

    /**
     * @param where the plugin and task, as the log names them
     * @param clock the time now, in ms
     */
    QuarantineLog(String where, LongSupplier clock) {
        this.where = where;
        this.clock = clock;
    }

    @Override
    public void quarantined(String source, String why) {
        long now = clock.getAsLong();
        if (minuteStartMs == Long.MIN_VALUE || now - minuteStartMs >= MINUTE_MS) {
            minuteStartMs = now;
            loggedThisMinute = 0;
        }
        if (loggedThisMinute < INFO_PER_MINUTE) {
            loggedThisMinute++;
            LOG.info("{}: source {} quarantined, its backlog parked so that other sources keep their capacity: {}{}",
                    where, source, why, loggedThisMinute == INFO_PER_MINUTE
                            ? " (more quarantines this minute are logged at DEBUG)" : "");
        } else {
            LOG.debug("{}: source {} quarantined: {}", where, source, why);
        }
    }

    @Override
    public void released(String source) {
        LOG.debug("{}: source {} released from quarantine, caught up", where, source);
    }
}
