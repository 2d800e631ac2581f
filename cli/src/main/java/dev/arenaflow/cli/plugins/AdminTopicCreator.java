package dev.arenaflow.cli.plugins;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates topics with Kafka's admin client. */
public final class AdminTopicCreator implements TopicCreator {

    @Override
    public boolean createCompacted(String topic, Map<String, Object> adminConfig, Duration timeout)
            throws InterruptedException {
        // One partition: the records are few and tiny, and every instance reads all of them anyway.
        NewTopic compacted = new NewTopic(topic, Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try (Admin admin = Admin.create(adminConfig)) {
            admin.createTopics(List.of(compacted)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw cannotCreate(topic, String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw cannotCreate(topic, "no answer within " + timeout.toMillis() + " ms", e);
        }
    }

    private static CommandFailure cannotCreate(String topic, String why, Throwable cause) {
        return CommandFailure.failed("cannot create the control topic " + topic + ": " + why
                + "; create it yourself (cleanup.policy=compact, 1 partition) and try again", cause);
    }
}
