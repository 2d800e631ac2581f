package dev.arenaflow.api.why;

import dev.arenaflow.api.v1.SourceHolder;
import dev.arenaflow.api.v1.WhyReply;
import dev.arenaflow.api.v1.WhyRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Answers "why is this source not done?" by asking every instance: its own tasks through
 * {@link LocalTasks}, every other instance Kafka Streams knows of through {@link Peers}, at once,
 * and merges what they hold. An instance asked by another answers from its own tasks only.
 *
 * <p>Why every instance and not the owner of the source's key: the Raw Record contract says a
 * record <em>should</em> be keyed by its source, not that it is. A producer that keys otherwise
 * (or not at all) spreads a source over several partitions, so its messages can sit in tasks on
 * several instances, and the key's owner alone would answer "nothing pending" for a source that
 * is stuck elsewhere. Asking all is right whatever the keys; it costs one call per instance, and
 * this is an operator's question, not a hot path. An empty answer ("the source is done") is given
 * only when every instance and every task answered; otherwise it is {@code UNAVAILABLE}, naming
 * what did not answer. What was found is returned even when some did not answer, with those listed
 * in {@code unanswered}: a stuck source is worth showing while another instance rebalances.
 *
 * <p>Threading notes: called on gRPC's threads; holds no state of its own between calls.
 */
public final class WhyAnswers {

    /** The other instances, asked for what their own tasks hold. */
    @FunctionalInterface
    public interface Peers {
        /**
         * @param host another instance
         * @param request the question, forwarded so that it answers from its own tasks only
         * @return its reply, or a failure carrying its gRPC status; completes by the forwarding deadline
         */
        CompletableFuture<WhyReply> why(HostInfo host, WhyRequest request);
    }

    private static final Comparator<SourceHolder> HOLDER_ORDER = Comparator.comparing(SourceHolder::getInstance)
            .thenComparing(SourceHolder::getTask);

    private final LocalTasks local;
    private final Supplier<Collection<HostInfo>> instances;
    private final Supplier<HostInfo> self;
    private final Peers peers;
    private final Duration peerWait;

    /**
     * @param local this instance's tasks
     * @param instances every instance of the application, as Kafka Streams' metadata lists them;
     *                  may throw while Kafka Streams cannot say
     * @param self this instance, as {@code application.server} names it
     * @param peers asks another instance
     * @param peerWait the forwarding deadline; a peer's reply is awaited a little longer, as a bound only
     */
    public WhyAnswers(LocalTasks local, Supplier<Collection<HostInfo>> instances, Supplier<HostInfo> self,
                      Peers peers, Duration peerWait) {
        this.local = local;
        this.instances = instances;
        this.self = self;
        this.peers = peers;
        this.peerWait = peerWait.plusSeconds(1);
    }

    /**
     * @param request a validated request (known plugin, non-empty source)
     * @param forwardedBy the instance that forwarded it here, or null if a client sent it
     * @return the holders of the source's pending messages, and who answered
     * @throws StatusRuntimeException {@code UNAVAILABLE} if no holder was found and not everyone answered
     */
    public WhyReply answer(WhyRequest request, String forwardedBy) {
        if (forwardedBy != null) {
            return local.answer(request);
        }
        WhyReply.Builder merged = WhyReply.newBuilder().setPlugin(request.getPlugin()).setSource(request.getSource());
        Map<HostInfo, CompletableFuture<WhyReply>> asked = new LinkedHashMap<>();
        try {
            others().forEach(host -> asked.put(host, peers.why(host, request)));
        } catch (RuntimeException e) {
            merged.addUnanswered("the other instances are not known now (" + e.getMessage() + ")");
        }
        add(merged, local.answer(request));
        asked.forEach((host, reply) -> add(merged, host, reply));
        List<SourceHolder> holders = new ArrayList<>(merged.getHoldersList());
        holders.sort(HOLDER_ORDER);
        merged.clearHolders().addAllHolders(holders);
        if (merged.getHoldersCount() == 0 && (merged.getUnansweredCount() > 0 || merged.getAnsweredByCount() == 0)) {
            throw Status.UNAVAILABLE.withDescription("no task was found holding source '" + request.getSource()
                    + "' of plugin '" + request.getPlugin() + "', but not every instance answered: "
                    + String.join("; ", merged.getUnansweredList()) + "; retry").asRuntimeException();
        }
        return merged.build();
    }

    private List<HostInfo> others() {
        HostInfo me = self.get();
        return instances.get().stream().filter(host -> !host.equals(me)).distinct().toList();
    }

    private void add(WhyReply.Builder merged, HostInfo host, CompletableFuture<WhyReply> reply) {
        try {
            add(merged, reply.get(peerWait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            merged.addUnanswered(LocalTasks.text(host) + ": not awaited, this call was interrupted");
        } catch (TimeoutException e) {
            reply.cancel(true);
            merged.addUnanswered(LocalTasks.text(host) + ": no reply within " + peerWait.toMillis() + " ms");
        } catch (ExecutionException e) {
            Status status = Status.fromThrowable(e.getCause());
            merged.addUnanswered(LocalTasks.text(host) + ": " + status.getCode()
                    + (status.getDescription() == null ? "" : " " + status.getDescription()));
        }
    }

    private static void add(WhyReply.Builder merged, WhyReply part) {
        merged.addAllHolders(part.getHoldersList()).addAllAnsweredBy(part.getAnsweredByList())
                .addAllUnanswered(part.getUnansweredList());
    }
}
