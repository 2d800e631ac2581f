package dev.arenaflow.cli.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * The connection options shared by {@code produce} and {@code consume}, as a picocli mixin.
 * Precedence, lowest first: {@code --config}, {@code -X}, then the named options.
 */
public final class ConnectionOptions {

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers to connect to. Required unless bootstrap.servers is set in --config or -X.")
    private String bootstrapServer;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A .properties file of Kafka client settings (e.g. security.protocol, sasl.*, ssl.*), "
                    + "passed to the client as they are. arenaflow.* and apicurio.registry.* settings in it go to "
                    + "the snapshot deserializer instead.")
    private Path configFile;

    @Option(names = "-X", paramLabel = "KEY=VALUE",
            description = "A client setting; repeatable. Overrides --config.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    /**
     * @param namedOptions settings from the command's own options, applied last; null values skipped
     * @return the merged settings
     * @throws IOException if the --config file cannot be read
     */
    public Map<String, Object> settings(Map<String, String> namedOptions) throws IOException {
        Map<String, String> named = new HashMap<>(namedOptions);
        named.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        return ClientSettings.load(configFile, overrides, named);
    }

    /** @return the --config file, or null */
    public Path configFile() {
        return configFile;
    }
}
