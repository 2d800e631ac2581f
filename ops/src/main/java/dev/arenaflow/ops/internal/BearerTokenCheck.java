package dev.arenaflow.ops.internal;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.UnauthorizedResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

/**
 * A before-handler of the operations endpoint: a request to any path but the open ones must carry
 * {@code Authorization: Bearer <token>}, or it is answered 401 with {@code WWW-Authenticate:
 * Bearer} before any route or static file sees it. The answer names the setting, never the token;
 * the comparison takes the same time whatever the guess.
 *
 * <p>Threading notes: immutable; called on the server's request threads.
 */
public final class BearerTokenCheck implements Handler {

    private static final String SCHEME = "Bearer ";

    private final byte[] expected;
    private final Set<String> openPaths;
    private final String setting;

    /**
     * @param token the token requests must carry
     * @param openPaths paths answered without it, e.g. the probes
     * @param setting the setting the token comes from, named in the answer
     */
    public BearerTokenCheck(String token, List<String> openPaths, String setting) {
        this.expected = (SCHEME + token).getBytes(StandardCharsets.UTF_8);
        this.openPaths = Set.copyOf(openPaths);
        this.setting = setting;
    }

    @Override
    public void handle(Context ctx) {
        if (openPaths.contains(ctx.path())) {
            return;
        }
        String given = ctx.header("Authorization");
        if (given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            return;
        }
        ctx.header("WWW-Authenticate", "Bearer");
        throw new UnauthorizedResponse((given == null ? "no bearer token" : "wrong bearer token")
                + ": this endpoint needs 'Authorization: Bearer <token>' (" + setting + ")");
    }
}
