package dev.arenaflow.api.latest;

import dev.arenaflow.api.SnapshotConverter;
import dev.arenaflow.api.v1.GetLatestRequest;
import dev.arenaflow.api.v1.Snapshot;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.latest.LatestSnapshot;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Answers "the latest snapshot of this source" from the plugin's latest-snapshot store: here if
 * this instance holds the source's partition as an active task, through the instance that does
 * otherwise (Kafka Streams' key metadata says which). Every doubt is {@code UNAVAILABLE} with its
 * reason, never an empty or stale answer: no owner known (a rebalance, or starting), an owner
 * whose store is not active and running here (restoring, or moved away), or a forwarded request
 * that reaches an instance that is not the owner.
 *
 * <p>Threading notes: called on gRPC's threads; each plugin's converter is used under its lock.
 */
public final class LatestSnapshots {

    private static final Serializer<String> KEYS = new StringSerializer();

    /** Where a request that this instance does not own goes. */
    @FunctionalInterface
    public interface Owner {
        /**
         * @param host the owning instance
         * @param request the request to answer there
         * @return its answer
         * @throws StatusRuntimeException with the owner's status, or {@code UNAVAILABLE} if it did not answer
         */
        Snapshot ask(HostInfo host, GetLatestRequest request);
    }

    private final Supplier<StoreView> streams;
    private final Supplier<HostInfo> self;
    private final Map<String, String> snapshotTopics;
    private final Map<String, SnapshotConverter> converters;
    private final Owner owner;

    /**
     * @param streams the running Kafka Streams' stores, or null while it is not created yet
     * @param self this instance, as {@code application.server} names it; known once the server is bound
     * @param snapshotTopics each plugin's snapshot topic
     * @param converters makes a converter of a plugin's snapshots
     * @param owner asks another instance
     */
    public LatestSnapshots(Supplier<StoreView> streams, Supplier<HostInfo> self, Map<String, String> snapshotTopics,
                           Function<String, SnapshotConverter> converters, Owner owner) {
        this.streams = streams;
        this.self = self;
        this.snapshotTopics = snapshotTopics;
        this.converters = new java.util.HashMap<>();
        snapshotTopics.keySet().forEach(p -> this.converters.put(p, converters.apply(p)));
        this.owner = owner;
    }

    /**
     * @param request a validated request (known plugin, non-empty source)
     * @param forwardedBy the instance that forwarded it here, or null if a client sent it
     * @return the latest snapshot
     * @throws StatusRuntimeException {@code NOT_FOUND} or {@code UNAVAILABLE}, with the reason
     */
    public Snapshot get(GetLatestRequest request, String forwardedBy) {
        StoreView stores = streams.get();
        if (stores == null) {
            throw unavailable("this instance is starting");
        }
        String store = ArenaflowConfig.latestStore(request.getPlugin());
        KeyQueryMetadata where;
        try {
            where = stores.metadata(store, request.getSource(), KEYS);
        } catch (RuntimeException e) {
            throw unavailable("the owner of source '" + request.getSource() + "' is not known now ("
                    + e.getMessage() + ")");
        }
        if (where == null || KeyQueryMetadata.NOT_AVAILABLE.equals(where) || where.activeHost() == null
                || HostInfo.unavailable().equals(where.activeHost())) {
            throw unavailable("no instance holds the partition of source '" + request.getSource()
                    + "' right now (a rebalance, or the application is starting); retry");
        }
        if (where.activeHost().equals(self.get())) {
            return local(stores, store, request, where.partition());
        }
        if (forwardedBy != null) {
            throw unavailable("instance " + forwardedBy + " forwarded this request here, but this instance sees "
                    + hostText(where.activeHost()) + " as the owner (a rebalance is moving it); retry");
        }
        return owner.ask(where.activeHost(), request);
    }

    private Snapshot local(StoreView stores, String store, GetLatestRequest request, int partition) {
        StateQueryResult<byte[]> result;
        try {
            result = stores.query(StateQueryRequest.inStore(store)
                    .withQuery(KeyQuery.<String, byte[]>withKey(request.getSource()))
                    .withPartitions(Set.of(partition))
                    .requireActive());
        } catch (RuntimeException e) {
            throw unavailable("the store " + store + " cannot be queried now: " + e.getMessage());
        }
        QueryResult<byte[]> answer = result.getPartitionResults().get(partition);
        if (answer == null) {
            throw unavailable("partition " + partition + " of " + store + " gave no answer");
        }
        if (answer.isFailure()) {
            throw unavailable("partition " + partition + " of " + store + " cannot answer now ("
                    + answer.getFailureReason() + ": " + answer.getFailureMessage() + ")");
        }
        byte[] stored = answer.getResult();
        if (stored == null) {
            throw Status.NOT_FOUND.withDescription("plugin '" + request.getPlugin() + "' has no snapshot of source '"
                    + request.getSource() + "'").asRuntimeException();
        }
        return snapshot(request, LatestSnapshot.decode(stored));
    }

    private Snapshot snapshot(GetLatestRequest request, LatestSnapshot latest) {
        byte[] key = request.getSource().getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(snapshotTopics.get(request.getPlugin()),
                latest.partition(), latest.offset(), latest.timestampMs(), TimestampType.CREATE_TIME, key.length,
                latest.value().length, key, latest.value(), new RecordHeaders(), Optional.empty());
        SnapshotConverter converter = converters.get(request.getPlugin());
        try {
            synchronized (converter) {
                return converter.convert(record);
            }
        } catch (RuntimeException e) {
            throw unavailable("the snapshot's schema cannot be read now: " + e.getMessage());
        }
    }

    private static String hostText(HostInfo host) {
        return host.host() + ":" + host.port();
    }

    private static StatusRuntimeException unavailable(String why) {
        return Status.UNAVAILABLE.withDescription(why).asRuntimeException();
    }

    /** Closes the converters. */
    public void close() {
        converters.values().forEach(SnapshotConverter::close);
    }
}
