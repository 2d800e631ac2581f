package dev.arenaflow.plugin.internal;

import java.util.Locale;

/**
 * How thoroughly arenaflow catches a plugin using its borrowed {@code RawRecordView} or
 * {@code MessageContext} after the call that lent them, in the manner of Netty's leak-detection
 * levels: the default costs nothing per message, the strict level one small allocation.
 */
public enum LoanGuard {

    /**
     * One view and one context per processor, reused for every message; nothing is allocated. A
     * use on any thread other than the lending one throws, at any time, even while the same objects
     * are lent again for another message; so does a use on the lending thread between two loans.
     * Not caught: the lending thread reading a kept reference during a later loan of the same
     * objects, which reads that later message.
     */
    THREAD,

    /**
     * A new view and context for every message, released for good when the call returns, so every
     * later use throws, on any thread, whatever was lent since. Costs the two objects per message.
     */
    STRICT;

    /**
     * @param value {@code thread} or {@code strict}, in any case
     * @return the level
     * @throws IllegalArgumentException for any other value
     */
    public static LoanGuard parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    /** @return the setting's value for this level: {@code thread} or {@code strict} */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
