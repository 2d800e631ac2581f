package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.Outcome;

/**
 * Why an attempt failed, as its dead-letter or retry record states it.
 *
 * @param code stable error code
 * @param message human-readable reason
 * @param errorClass the exception's class, or {@link Outcome.Fail}'s when the plugin or arenaflow chose the failure
 */
record Failure(String code, String message, String errorClass) {

    static final String CHOSEN = Outcome.Fail.class.getName();

    static Failure of(Outcome.Fail fail) {
        return new Failure(fail.code(), fail.message(), fail.errorClass() != null ? fail.errorClass() : CHOSEN);
    }

    static Failure chosen(String code, String message) {
        return new Failure(code, message, CHOSEN);
    }
}
