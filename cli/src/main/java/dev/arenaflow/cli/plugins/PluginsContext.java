package dev.arenaflow.cli.plugins;

import dev.arenaflow.cli.io.KafkaClients;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@code plugins} takes from the world outside its arguments, so that tests can replace it.
 *
 * @param clients creates the consumer and the producer
 * @param topicCreator creates the control topic when it is missing
 * @param environment the process environment: {@code ARENAFLOW_*} settings and {@code USER}
 * @param clock stamps control records
 * @param hostName names this machine in the default {@code by} of a control record
 */
public record PluginsContext(KafkaClients clients, TopicCreator topicCreator, Map<String, String> environment,
                             Clock clock, Supplier<String> hostName) {

    private static final String UNKNOWN = "unknown";

    /** @return the real clients, environment, clock and host name */
    public static PluginsContext real() {
        return new PluginsContext(KafkaClients.real(), new AdminTopicCreator(), System.getenv(), Clock.systemUTC(),
                PluginsContext::localHostName);
    }

    /** @return who runs the command, as {@code user@host}, for the {@code by} of a control record */
    public String operator() {
        // USER is missing in some containers and service managers; the JVM still knows the account.
        String user = environment.getOrDefault("USER", environment.getOrDefault("USERNAME",
                System.getProperty("user.name", UNKNOWN)));
        return user + "@" + hostName.get();
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return UNKNOWN;
        }
    }
}
