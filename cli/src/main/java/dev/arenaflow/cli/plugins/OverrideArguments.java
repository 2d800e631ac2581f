package dev.arenaflow.cli.plugins;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code KEY=VALUE} arguments of {@code plugins set}, split at the first {@code =}. */
public final class OverrideArguments {

    private final Map<String, String> values;

    private OverrideArguments(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @param arguments as given; a value may be empty or hold further {@code =}
     * @return the overrides, in the given order
     * @throws CommandFailure with exit status 2 naming an argument without a key or given twice
     */
    public static OverrideArguments parse(List<String> arguments) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            if (eq <= 0) {
                throw CommandFailure.usage("expected KEY=VALUE but got '" + argument + "'");
            }
            String key = argument.substring(0, eq);
            if (values.put(key, argument.substring(eq + 1)) != null) {
                throw CommandFailure.usage("setting " + key + " is given twice");
            }
        }
        return new OverrideArguments(values);
    }

    /** @return the overrides by key, in the given order */
    public Map<String, String> values() {
        return Collections.unmodifiableMap(values);
    }
}
