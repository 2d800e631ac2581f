package dev.arenaflow.api;

import dev.arenaflow.api.latest.LatestSnapshots;
import dev.arenaflow.api.subscribe.Subscriptions;
import dev.arenaflow.api.v1.GetLatestRequest;
import dev.arenaflow.api.v1.Snapshot;
import dev.arenaflow.api.v1.SnapshotEvent;
import dev.arenaflow.api.v1.SnapshotServiceGrpc;
import dev.arenaflow.api.v1.StartPosition;
import dev.arenaflow.api.v1.SubscribeRequest;
import dev.arenaflow.api.v1.WhyReply;
import dev.arenaflow.api.v1.WhyRequest;
import dev.arenaflow.api.why.WhyAnswers;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code arenaflow.v1.SnapshotService}: checks each request, then hands it to
 * {@link LatestSnapshots}, {@link Subscriptions} or {@link WhyAnswers}. Every failure reaches the client as a status
 * with a description that says what was wrong.
 */
final class SnapshotApi extends SnapshotServiceGrpc.SnapshotServiceImplBase {

    private final Set<String> plugins;
    private final LatestSnapshots latest;
    private final Subscriptions subscriptions;
    private final WhyAnswers why;

    SnapshotApi(Set<String> plugins, LatestSnapshots latest, Subscriptions subscriptions, WhyAnswers why) {
        this.plugins = plugins;
        this.latest = latest;
        this.subscriptions = subscriptions;
        this.why = why;
    }

    @Override
    public void getLatest(GetLatestRequest request, StreamObserver<Snapshot> observer) {
        answer(observer, () -> {
            checkPlugin(request.getPlugin());
            checkSource(request.getSource());
            return latest.get(request, Forwarding.FORWARDED_BY.get());
        });
    }

    @Override
    public void subscribe(SubscribeRequest request, StreamObserver<SnapshotEvent> observer) {
        try {
            checkPlugin(request.getPlugin());
            if (request.getStartCase() == SubscribeRequest.StartCase.FROM
                    && request.getFrom() == StartPosition.UNRECOGNIZED) {
                throw Status.INVALID_ARGUMENT.withDescription("unknown start position").asRuntimeException();
            }
            if (request.getSourcesList().stream().anyMatch(String::isEmpty)) {
                throw Status.INVALID_ARGUMENT.withDescription("sources has an empty entry").asRuntimeException();
            }
            subscriptions.subscribe(request, (ServerCallStreamObserver<SnapshotEvent>) observer);
        } catch (StatusRuntimeException e) {
            observer.onError(e);
        }
    }

    @Override
    public void why(WhyRequest request, StreamObserver<WhyReply> observer) {
        answer(observer, () -> {
            checkPlugin(request.getPlugin());
            checkSource(request.getSource());
            return why.answer(request, Forwarding.FORWARDED_BY.get());
        });
    }

    /** Sends a unary call's answer, or the status it failed with. */
    private static <T> void answer(StreamObserver<T> observer, Supplier<T> answer) {
        try {
            T value = answer.get();
            observer.onNext(value);
            observer.onCompleted();
        } catch (StatusRuntimeException e) {
            observer.onError(e);
        }
    }

    private static void checkSource(String source) {
        if (source.isEmpty()) {
            throw Status.INVALID_ARGUMENT.withDescription("source is empty").asRuntimeException();
        }
    }

    private void checkPlugin(String plugin) {
        if (!plugins.contains(plugin)) {
            throw Status.INVALID_ARGUMENT.withDescription("plugin '" + plugin + "' is not run by this application; "
                    + "it runs " + plugins).asRuntimeException();
        }
    }
}
