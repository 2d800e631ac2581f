package dev.arenaflow.bench.sync;

import dev.arenaflow.local.LocalKafka;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until the broker leads every partition of new topics and has created their logs.
 * Creating a topic returns before that on a busy broker, and a producer writing at once can lose
 * records for good (KAFKA-15591): its first request fails with NOT_LEADER_OR_FOLLOWER, a later
 * one is appended, and the retries of the first then fail with OUT_OF_ORDER_SEQUENCE_NUMBER until
 * the delivery timeout. A leader in the metadata alone was seen not to be enough.
 */
final class Leaders {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Leaders() {
    }

    static void await(LocalKafka kafka, Collection<String> topics) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (Admin admin = kafka.admin()) {
            while (!ready(admin, topics)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + topics + " have no log on the broker after " + TIMEOUT);
                }
                Thread.sleep(50);
            }
        }
    }

    private static boolean ready(Admin admin, Collection<String> topics) throws InterruptedException, ExecutionException {
        Set<TopicPartition> logged = logged(admin);
        return admin.describeTopics(topics).allTopicNames().get().values().stream().allMatch(d -> d.partitions()
                .stream().allMatch(p -> p.leader() != null && logged.contains(new TopicPartition(d.name(), p.partition()))));
    }

    /** @return the partitions whose logs the brokers hold */
    private static Set<TopicPartition> logged(Admin admin) throws InterruptedException, ExecutionException {
        Collection<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
        return admin.describeLogDirs(brokers).allDescriptions().get().values().stream()
                .flatMap(byDir -> byDir.values().stream())
                .flatMap(dir -> dir.replicaInfos().keySet().stream())
                .collect(Collectors.toSet());
    }
}
