package dev.arenaflow.plugins.enrich.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads the body of a 200 response, up to a limit, and discards the body of any other response.
 * A body over the limit fails the response with {@link TooLargeException}, without reading the rest.
 */
final class LimitedBody implements BodyHandler<byte[]> {

    private static final byte[] NONE = new byte[0];

    private final int maxBytes;

    LimitedBody(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public BodySubscriber<byte[]> apply(ResponseInfo info) {
        return info.statusCode() == 200 ? new Limited(maxBytes) : BodySubscribers.replacing(NONE);
    }

    /** The body was longer than the limit. */
    static final class TooLargeException extends IOException {
        TooLargeException(int maxBytes) {
            super("response body exceeds " + maxBytes + " bytes");
        }
    }

    /** Signals arrive serially, as {@link Flow.Subscriber} requires, so the fields need no lock. */
    private static final class Limited implements BodySubscriber<byte[]> {
        private final int maxBytes;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Limited(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (body.isDone()) {
                    return;
                }
                if (bytes.size() + (long) buffer.remaining() > maxBytes) {
                    subscription.cancel();
                    body.completeExceptionally(new TooLargeException(maxBytes));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }
}
