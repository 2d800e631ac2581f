package dev.arenaflow.cli.plugins;

import java.time.Duration;
import java.util.Map;

/** Creates the control topic when it is missing; tests replace it, having no admin mock at hand. */
@FunctionalInterface
public interface TopicCreator {

    /**
     * @param topic the topic to create: compacted, one partition, the broker's replication factor
     * @param adminConfig settings of the admin client to create it with
     * @param timeout how long to wait for the cluster
     * @return true if this call created it, false if it existed by then
     * @throws CommandFailure with exit status 1 if it could not be created
     */
    boolean createCompacted(String topic, Map<String, Object> adminConfig, Duration timeout)
            throws InterruptedException;
}
