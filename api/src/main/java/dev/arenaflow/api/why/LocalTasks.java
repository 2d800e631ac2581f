package dev.arenaflow.api.why;

import dev.arenaflow.api.v1.PendingStage;
import dev.arenaflow.api.v1.SourceHolder;
import dev.arenaflow.api.v1.WhyReply;
import dev.arenaflow.api.v1.WhyRequest;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.why.PendingMessage;
import dev.arenaflow.topology.why.PendingMessages;
import dev.arenaflow.topology.why.SourceReport;
import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * What this instance's tasks hold of a source: the question goes to every task of the plugin here
 * ({@link PendingMessages}), each answers on its stream thread at its next poll, and the wait is
 * bounded by {@code wait} and by the call's deadline. The instance counts as having answered only if
 * Kafka Streams is RUNNING, every active task of the plugins here has opened the plugin (none is
 * restoring) and every one answered in time; otherwise the reply says why in {@code unanswered}.
 *
 * <p>Threading notes: called on gRPC's threads; the view is read once per call.
 */
public final class LocalTasks {

    /** What Kafka Streams says of this instance's tasks. */
    public interface View {
        /** @return Kafka Streams' state */
        KafkaStreams.State state();

        /** @return the active tasks here that run the plugins (they read an input topic), open or restoring */
        int pluginTasks();

        /** @return where the open tasks answer */
        PendingMessages pending();

        /**
         * @param app the application
         * @param inputTopics its input topics
         * @return its view
         */
        static View of(ArenaflowApplication app, Set<String> inputTopics) {
            return new View() {
                @Override
                public KafkaStreams.State state() {
                    return app.streams().state();
                }

                @Override
                public int pluginTasks() {
                    return (int) app.streams().metadataForLocalThreads().stream()
                            .flatMap(thread -> thread.activeTasks().stream())
                            .filter(task -> task.topicPartitions().stream().anyMatch(p -> inputTopics.contains(p.topic())))
                            .count();
                }

                @Override
                public PendingMessages pending() {
                    return app.pendingMessages();
                }
            };
        }
    }

    /** Left of the caller's deadline for the reply to travel back. */
    private static final long MARGIN_MS = 250;

    private final Supplier<View> view;
    private final Supplier<HostInfo> self;
    private final Duration wait;

    /**
     * @param view this instance's tasks, or null while the application is not attached yet
     * @param self this instance, as {@code application.server} names it
     * @param wait longest wait for the tasks' answers
     */
    public LocalTasks(Supplier<View> view, Supplier<HostInfo> self, Duration wait) {
        this.view = view;
        this.self = self;
        this.wait = wait;
    }

    /**
     * @param request a validated request
     * @return what this instance's tasks hold, and this instance in {@code answered_by} or, with the reason,
     *         in {@code unanswered}
     */
    public WhyReply answer(WhyRequest request) {
        String me = text(self.get());
        WhyReply.Builder reply = WhyReply.newBuilder().setPlugin(request.getPlugin()).setSource(request.getSource());
        View tasks = view.get();
        if (tasks == null) {
            return reply.addUnanswered(me + ": starting").build();
        }
        KafkaStreams.State state = tasks.state();
        if (state != KafkaStreams.State.RUNNING) {
            return reply.addUnanswered(me + ": Kafka Streams is " + state).build();
        }
        int closed;
        List<CompletableFuture<Optional<SourceReport>>> asked;
        try {
            asked = tasks.pending().ask(request.getPlugin(), request.getSource());
            closed = tasks.pluginTasks() - asked.size();
        } catch (RuntimeException e) {
            // Kafka Streams' metadata calls throw when its state changed since it was read.
            return reply.addUnanswered(me + ": its tasks are not known now (" + e.getMessage() + ")").build();
        }
        long waitMs = waitMs();
        int silent = collect(asked, waitMs, reply, me);
        if (closed > 0) {
            reply.addUnanswered(me + ": " + closed + " task(s) of plugin '" + request.getPlugin()
                    + "' not open yet (restoring)");
        }
        if (silent > 0) {
            reply.addUnanswered(me + ": " + silent + " task(s) of plugin '" + request.getPlugin()
                    + "' did not answer within " + waitMs + " ms (their stream thread is busy elsewhere)");
        }
        boolean moved = tasks.state() != KafkaStreams.State.RUNNING;
        if (moved) {
            reply.addUnanswered(me + ": a rebalance began while its tasks answered");
        }
        if (closed <= 0 && silent == 0 && !moved) {
            reply.addAnsweredBy(me);
        }
        return reply.build();
    }

    /** @return how many did not answer */
    private static int collect(List<CompletableFuture<Optional<SourceReport>>> asked, long waitMs,
                               WhyReply.Builder reply, String me) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        int silent = 0;
        for (CompletableFuture<Optional<SourceReport>> answer : asked) {
            try {
                answer.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)
                        .ifPresent(report -> reply.addHolders(holder(report, me)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                silent++;
            } catch (TimeoutException | ExecutionException e) {
                silent++;
            }
        }
        return silent;
    }

    /** The wait, shortened so that the reply can still reach a caller with a deadline. */
    private long waitMs() {
        Deadline deadline = Context.current().getDeadline();
        long ms = wait.toMillis();
        return deadline == null ? ms : Math.max(0, Math.min(ms, deadline.timeRemaining(TimeUnit.MILLISECONDS) - MARGIN_MS));
    }

    static SourceHolder holder(SourceReport report, String instance) {
        SourceHolder.Builder holder = SourceHolder.newBuilder().setTask(report.task()).setInstance(instance)
                .setQuarantined(report.quarantined());
        report.messages().forEach(m -> holder.addMessages(message(m)));
        return holder.build();
    }

    private static dev.arenaflow.api.v1.PendingMessage message(PendingMessage m) {
        dev.arenaflow.api.v1.PendingMessage.Builder out = dev.arenaflow.api.v1.PendingMessage.newBuilder()
                .setInputTopic(m.topic()).setInputPartition(m.partition()).setInputOffset(m.offset())
                .setAttempt(m.attempt()).setStage(stage(m.stage()));
        if (m.sinceMs() >= 0) {
            out.setSinceMs(m.sinceMs());
        }
        if (m.untilMs() >= 0) {
            out.setUntilMs(m.untilMs());
        }
        if (m.behindOffset() >= 0) {
            out.setBehindOffset(m.behindOffset());
        }
        if (m.lastError() != null) {
            out.setLastError(m.lastError());
        }
        return out.build();
    }

    private static PendingStage stage(PendingMessage.Stage stage) {
        return switch (stage) {
            case IN_FLIGHT -> PendingStage.IN_FLIGHT;
            case AWAITING_RETRY_RECORD -> PendingStage.AWAITING_RETRY_RECORD;
            case WAITING_FOR_RETRY -> PendingStage.WAITING_FOR_RETRY;
            case DEFERRED -> PendingStage.DEFERRED;
            case HELD_BY_PAUSE -> PendingStage.HELD_BY_PAUSE;
            case QUEUED -> PendingStage.QUEUED;
            case PARKED -> PendingStage.PARKED;
            case DISPATCHING -> PendingStage.DISPATCHING;
        };
    }

    static String text(HostInfo host) {
        return host.host() + ":" + host.port();
    }
}
