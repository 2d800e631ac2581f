package dev.arenaflow.topology.testing;

import io.apicurio.registry.resolver.client.RegistryArtifactReference;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryVersionCoordinates;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.config.SerdeConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An Apicurio Registry held in memory, for unit tests of code that uses the Apicurio 3.x Avro serde
 * ({@link AvroKafkaSerializer}/{@link AvroKafkaDeserializer}). It exists because this project has no
 * io.confluent artifacts (so no {@code MockSchemaRegistry}) and unit tests must not need a registry
 * server: the serde's {@link RegistryClientFacade} constructor hook lets it talk to this class instead
 * of HTTP. As far as the serde can tell it is the real thing: schemas are auto-registered under the
 * artifact the serializer names (TopicIdStrategy: {@code "<topic>-value"}, group {@code "default"}),
 * nested records that the serializer sends as references (artifact id = the record's full name) are
 * kept and handed back, each distinct content (schema text plus references) gets one content id, which
 * is the 4-byte id the default id handler writes after magic byte 0, and registering the same content
 * again finds the version that has it. Global ids count from 1001, so that a serializer and a
 * deserializer that disagree on {@code apicurio.registry.use-id} fail loudly rather than by chance.
 */
public final class InMemoryRegistry implements RegistryClientFacade {

    private static final String DEFAULT_GROUP = "default";
    private static final long FIRST_GLOBAL_ID = 1001;

    private record Content(long id, String hash, String schema, List<RegistryArtifactReference> references) {}

    private record Version(long globalId, String groupId, String artifactId, String version, Content content) {
        RegistryVersionCoordinates coordinates() {
            return RegistryVersionCoordinates.create(globalId, content.id(), groupId, artifactId, version);
        }
    }

    private final Map<String, Content> contentByHash = new HashMap<>();
    private final Map<Long, Content> contentById = new HashMap<>();
    private final Map<Long, Version> versionByGlobalId = new HashMap<>();
    /** "group/artifactId" to its versions, oldest first. */
    private final Map<String, List<Version>> artifacts = new LinkedHashMap<>();
    private long nextContentId = 1;
    private long nextGlobalId = FIRST_GLOBAL_ID;

    // ---- helpers for tests

    /** The serde config the helpers use: auto-register, read SpecificRecords; no URL is needed with a facade. */
    public static Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
        config.put(AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        return config;
    }

    /** A value serializer writing magic byte, 4-byte content id, Avro binary, no headers. */
    public <T> Serializer<T> serializer() {
        AvroKafkaSerializer<T> serializer = new AvroKafkaSerializer<>(this);
        serializer.configure(serdeConfig(), false);
        return serializer;
    }

    /** A value deserializer returning the generated SpecificRecord classes. */
    public <T> Deserializer<T> deserializer() {
        AvroKafkaDeserializer<T> deserializer = new AvroKafkaDeserializer<>(this);
        deserializer.configure(serdeConfig(), false);
        return deserializer;
    }

    /** {@link #serializer()} and {@link #deserializer()} as one value serde. */
    public <T> Serde<T> serde() {
        return Serdes.serdeFrom(this.<T>serializer(), this.<T>deserializer());
    }

    /** Artifact ids registered so far, e.g. "snapshots.session-value" and the nested records' full names. */
    public synchronized Set<String> subjects() {
        Set<String> subjects = new TreeSet<>();
        artifacts.values().forEach(versions -> subjects.add(versions.get(0).artifactId()));
        return subjects;
    }

    /** The wire id (content id) of the latest version of {@code subject} in the default group. */
    public synchronized int idOf(String subject) {
        return Math.toIntExact(version(DEFAULT_GROUP, subject, null).content().id());
    }

    /** The schema with wire id (content id) {@code id}, its references resolved. */
    public synchronized Schema schema(long id) {
        return parse(content(id));
    }

    /** Registers {@code schema} (self-contained) under {@code subject} as the serializer would; returns its id. */
    public int register(String subject, Schema schema) {
        return Math.toIntExact(createSchema("AVRO", DEFAULT_GROUP, subject, null, "FIND_OR_CREATE_VERSION",
                false, schema.toString(), Set.of()).getContentId());
    }

    // ---- RegistryClientFacade

    /**
     * Finds or creates the version of the artifact holding this content, whatever {@code
     * autoCreateBehavior} says (the serde's default is FIND_OR_CREATE_VERSION); {@code canonical} is ignored.
     */
    @Override
    public synchronized RegistryVersionCoordinates createSchema(String artifactType, String groupId,
            String artifactId, String version, String autoCreateBehavior, boolean canonical, String schemaString,
            Set<RegistryArtifactReference> references) {
        Content content = contentFor(schemaString, references);
        String group = group(groupId);
        List<Version> versions = artifacts.computeIfAbsent(group + "/" + artifactId, k -> new ArrayList<>());
        for (Version existing : versions) {
            if (existing.content() == content && (version == null || version.equals(existing.version()))) {
                return existing.coordinates();
            }
        }
        String name = version != null ? version : String.valueOf(versions.size() + 1);
        if (versions.stream().anyMatch(v -> v.version().equals(name))) {
            throw new IllegalStateException("InMemoryRegistry: " + group + "/" + artifactId + " version " + name
                    + " already exists with other content");
        }
        Version created = new Version(nextGlobalId++, group, artifactId, name, content);
        versions.add(created);
        versionByGlobalId.put(created.globalId(), created);
        return created.coordinates();
    }

    @Override
    public synchronized String getSchemaByContentId(Long contentId) {
        return content(contentId).schema();
    }

    @Override
    public synchronized String getSchemaByGlobalId(long globalId, boolean dereferenced) {
        Content content = version(globalId).content();
        return dereferenced ? parse(content).toString() : content.schema();
    }

    @Override
    public synchronized String getSchemaByGAV(String groupId, String artifactId, String version) {
        return version(groupId, artifactId, version).content().schema();
    }

    @Override
    public synchronized String getSchemaByContentHash(String contentHash) {
        return contentByHash(contentHash).schema();
    }

    @Override
    public synchronized List<RegistryArtifactReference> getReferencesByContentId(long contentId) {
        return content(contentId).references();
    }

    @Override
    public synchronized List<RegistryArtifactReference> getReferencesByGlobalId(long globalId) {
        return version(globalId).content().references();
    }

    @Override
    public synchronized List<RegistryArtifactReference> getReferencesByGAV(String groupId, String artifactId,
            String version) {
        return version(groupId, artifactId, version).content().references();
    }

    @Override
    public synchronized List<RegistryArtifactReference> getReferencesByContentHash(String contentHash) {
        return contentByHash(contentHash).references();
    }

    /** Versions of the referenced artifact (any artifact if it names none) with this exact text, newest first. */
    @Override
    public synchronized List<RegistryVersionCoordinates> searchVersionsByContent(String schemaString,
            String artifactType, ArtifactReference reference, boolean canonical) {
        String artifactId = reference == null ? null : reference.getArtifactId();
        String group = group(reference == null ? null : reference.getGroupId());
        return versionByGlobalId.values().stream()
                .filter(v -> artifactId == null || (v.artifactId().equals(artifactId) && v.groupId().equals(group)))
                .filter(v -> v.content().schema().equals(schemaString))
                .sorted(Comparator.comparingLong(Version::globalId).reversed())
                .map(Version::coordinates)
                .toList();
    }

    @Override
    public synchronized RegistryVersionCoordinates getVersionCoordinatesByGAV(String groupId, String artifactId,
            String version) {
        return version(groupId, artifactId, version).coordinates();
    }

    @Override
    public Object getClient() {
        return this;
    }

    // ---- internals

    private Content contentFor(String schema, Collection<RegistryArtifactReference> references) {
        List<RegistryArtifactReference> refs = new ArrayList<>(references == null ? Set.of() : references);
        refs.sort(Comparator.comparing(InMemoryRegistry::describe));
        StringBuilder key = new StringBuilder(schema);
        refs.forEach(ref -> key.append('\n').append(describe(ref)));
        String hash = sha256(key.toString());
        return contentByHash.computeIfAbsent(hash, h -> {
            Content content = new Content(nextContentId++, h, schema, List.copyOf(refs));
            contentById.put(content.id(), content);
            return content;
        });
    }

    private Content content(long contentId) {
        Content content = contentById.get(contentId);
        if (content == null) {
            throw new NoSuchElementException("InMemoryRegistry: no schema with contentId " + contentId
                    + "; known contentIds " + new TreeSet<>(contentById.keySet()));
        }
        return content;
    }

    private Content contentByHash(String hash) {
        Content content = contentByHash.get(hash);
        if (content == null) {
            throw new NoSuchElementException("InMemoryRegistry: no schema with contentHash " + hash);
        }
        return content;
    }

    private Version version(long globalId) {
        Version version = versionByGlobalId.get(globalId);
        if (version == null) {
            throw new NoSuchElementException("InMemoryRegistry: no schema with globalId " + globalId
                    + "; known globalIds " + new TreeSet<>(versionByGlobalId.keySet()));
        }
        return version;
    }

    /** {@code version} null, "latest" or "branch=latest" means the newest one. */
    private Version version(String groupId, String artifactId, String version) {
        List<Version> versions = artifacts.get(group(groupId) + "/" + artifactId);
        if (versions == null) {
            throw new NoSuchElementException("InMemoryRegistry: no artifact " + group(groupId) + "/" + artifactId
                    + "; registered " + artifacts.keySet());
        }
        if (version == null || version.equals("latest") || version.equals("branch=latest")) {
            return versions.get(versions.size() - 1);
        }
        return versions.stream().filter(v -> v.version().equals(version)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("InMemoryRegistry: no version " + version + " of "
                        + group(groupId) + "/" + artifactId));
    }

    /** Parses a content with the schemas it references defined first, as the deserializer does. */
    private Schema parse(Content content) {
        Schema.Parser parser = new Schema.Parser();
        defineReferences(parser, content, new HashSet<>());
        return parser.parse(content.schema());
    }

    private void defineReferences(Schema.Parser parser, Content content, Set<Long> defined) {
        for (RegistryArtifactReference ref : content.references()) {
            Content referenced = version(ref.getGroupId(), ref.getArtifactId(), ref.getVersion()).content();
            if (defined.add(referenced.id())) {
                defineReferences(parser, referenced, defined);
                parser.parse(referenced.schema());
            }
        }
    }

    private static String group(String groupId) {
        return groupId == null ? DEFAULT_GROUP : groupId;
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(RegistryArtifactReference ref) {
        return ref.getName() + "=" + group(ref.getGroupId()) + "/" + ref.getArtifactId() + "@" + ref.getVersion();
    }
}
