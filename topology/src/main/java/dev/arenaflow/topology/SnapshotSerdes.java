package dev.arenaflow.topology;

import dev.arenaflow.topology.internal.CachingAvroDatumProvider;
import dev.arenaflow.topology.registry.TimedRegistryClient;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryClientFacadeFactory;
import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.config.SerdeConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The Avro serde of snapshots: Apicurio's, writing the Confluent wire format (magic byte 0, a
 * 4-byte schema id, Avro binary) and registering each schema under {@code <topic>-value}.
 *
 * <p>Schemas are registered dereferenced, with {@code SnapshotMeta} inline, so a consumer that
 * speaks only the Confluent registry protocol reads them without resolving references. Any
 * {@code apicurio.registry.*} setting given by the user (authentication, TLS) passes through.
 * Datum writers and readers are looked up by schema ({@link CachingAvroDatumProvider}) rather than
 * by a fingerprint computed per record.
 */
public final class SnapshotSerdes {

    private static final String APICURIO_PREFIX = "apicurio.registry.";

    private SnapshotSerdes() {
    }

    /**
     * @param settings the application's properties, with {@link ArenaflowConfig#REGISTRY_URL} set
     * @return a configured serializer for snapshot values
     * @throws ConfigException if the registry URL is missing
     */
    public static Serializer<SpecificRecord> serializer(Map<?, ?> settings) {
        Map<String, Object> config = registryConfig(settings);
        AvroKafkaSerializer<SpecificRecord> serializer = new AvroKafkaSerializer<>(timedClient(settings, config));
        serializer.configure(config, false);
        return serializer;
    }

    /**
     * @param settings properties with {@link ArenaflowConfig#REGISTRY_URL} set
     * @param specific true to read the generated classes, false for generic records
     * @param <T> the value type
     * @return a configured deserializer for snapshot values
     */
    public static <T> Deserializer<T> deserializer(Map<?, ?> settings, boolean specific) {
        Map<String, Object> config = registryConfig(settings);
        config.put(AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, specific);
        AvroKafkaDeserializer<T> deserializer = new AvroKafkaDeserializer<>(timedClient(settings, config));
        deserializer.configure(config, false);
        return deserializer;
    }

    /**
     * Apicurio's registry client for these settings, each call bounded by
     * {@link ArenaflowConfig#REGISTRY_TIMEOUT_MS}: Apicurio's own client has no request timeout.
     */
    private static RegistryClientFacade timedClient(Map<?, ?> settings, Map<String, Object> config) {
        return new TimedRegistryClient(RegistryClientFacadeFactory.create(new SchemaResolverConfig(config)),
                registryTimeout(settings), ArenaflowConfig.REGISTRY_TIMEOUT_MS);
    }

    /**
     * @param settings the application's properties
     * @return {@link ArenaflowConfig#REGISTRY_TIMEOUT_MS}, or its default
     * @throws ConfigException if it is not a whole number of milliseconds from 1 to 600000
     */
    static Duration registryTimeout(Map<?, ?> settings) {
        Object value = settings.get(ArenaflowConfig.REGISTRY_TIMEOUT_MS);
        if (value == null) {
            return Duration.ofMillis(ArenaflowConfig.REGISTRY_TIMEOUT_MS_DEFAULT);
        }
        long millis;
        try {
            millis = Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            millis = 0;
        }
        if (millis < 1 || millis > ArenaflowConfig.REGISTRY_TIMEOUT_MS_MAX) {
            throw new ConfigException(ArenaflowConfig.REGISTRY_TIMEOUT_MS, value,
                    "must be a whole number of milliseconds from 1 to " + ArenaflowConfig.REGISTRY_TIMEOUT_MS_MAX);
        }
        return Duration.ofMillis(millis);
    }

    /**
     * @param settings properties with {@link ArenaflowConfig#REGISTRY_URL} set
     * @return the serde settings: the user's {@code apicurio.registry.*} ones, then arenaflow's
     */
    public static Map<String, Object> registryConfig(Map<?, ?> settings) {
        Object url = settings.get(ArenaflowConfig.REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException(ArenaflowConfig.REGISTRY_URL, url,
                    "a schema registry URL is required, e.g. http://localhost:8080/apis/registry/v2");
        }
        Map<String, Object> config = new HashMap<>();
        settings.forEach((k, v) -> {
            if (k.toString().startsWith(APICURIO_PREFIX)) {
                config.put(k.toString(), v);
            }
        });
        config.put(SerdeConfig.REGISTRY_URL, url.toString());
        config.putIfAbsent(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
        config.putIfAbsent(SerdeConfig.DEREFERENCE_SCHEMA, true);
        config.putIfAbsent(AvroSerdeConfig.AVRO_DATUM_PROVIDER, CachingAvroDatumProvider.class);
        // A snapshot class's schema maps to the same registry id for the life of the process, so an id
        // once looked up is kept for a day rather than the serde's 30 s, and a failed refresh keeps the
        // old one: a registry outage then stalls only the snapshots whose schema was never looked up.
        config.putIfAbsent(SchemaResolverConfig.CHECK_PERIOD_MS, Duration.ofDays(1).toMillis());
        config.putIfAbsent(SchemaResolverConfig.FAULT_TOLERANT_REFRESH, true);
        return config;
    }
}
