package dev.arenaflow.bench.sync;

import dev.arenaflow.cli.local.LocalKafka;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Waits until new topics have a leader for every partition. Creating a topic returns before that
 * on a busy broker, and a producer writing at once got NOT_LEADER_OR_FOLLOWER and then, for the
 * idempotent producer's retries, OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout.
 */
final class Leaders {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Leaders() {
    }

    static void await(LocalKafka kafka, Collection<String> topics) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (Admin admin = kafka.admin()) {
            while (!allLed(admin, topics)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + topics + " have no leader after " + TIMEOUT);
                }
                Thread.sleep(50);
            }
        }
    }

    private static boolean allLed(Admin admin, Collection<String> topics) throws InterruptedException, ExecutionException {
        Collection<TopicDescription> described = admin.describeTopics(topics).allTopicNames().get().values();
        return described.stream().flatMap(d -> d.partitions().stream()).allMatch(p -> p.leader() != null);
    }
}
