package dev.arenaflow.topology.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an operator wants of one plugin: a record of the control topic, keyed by the plugin's name,
 * its value UTF-8 JSON so that any Kafka tool prints it readably:
 *
 * <pre>
 * {"state":"paused","config":{"url.template":"http://lookup:8080/s/{source}"},
 *  "reason":"lookup service maintenance","by":"alice","at":1764000000000}
 * </pre>
 *
 * {@code state} is {@code enabled}, {@code disabled} or {@code paused}; {@code config} overrides
 * the plugin's own settings from start-up (keys without the {@code plugin.<name>.} prefix); the
 * rest says who asked and why. A missing record, or a tombstone, means enabled with the start-up
 * settings.
 *
 * @param state the plugin's wanted state
 * @param config overrides of the plugin's own settings, sorted by key
 * @param reason why, or null
 * @param by who or what asked: an operator, or {@code circuit-breaker}
 * @param atMs when, epoch milliseconds, or 0
 */
public record PluginControl(State state, Map<String, String> config, String reason, String by, long atMs) {

    /** The state an operator can set. */
    public enum State {
        /** Handles messages as configured. */
        ENABLED,
        /** Handles nothing; messages that arrive meanwhile are skipped, and counted. */
        DISABLED,
        /** Handles nothing now; messages wait in its arena and are handled, in order, on resume. */
        PAUSED;

        /** @return the name used in control records */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @param text a state as written in a control record
         * @return the state
         * @throws IllegalArgumentException naming the text if it is no state
         */
        public static State of(String text) {
            for (State s : values()) {
                if (s.text().equals(text)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("state '" + text + "' is not one of enabled, disabled, paused");
        }
    }

    /** A plugin nobody has steered: enabled, with its start-up settings. */
    public static final PluginControl DEFAULT = new PluginControl(State.ENABLED, Map.of(), null, null, 0);

    private static final ObjectMapper JSON = new ObjectMapper();

    public PluginControl {
        config = java.util.Collections.unmodifiableMap(new TreeMap<>(config));
    }

    /** @return this control with another state, asked by someone at a time for a reason */
    public PluginControl withState(State newState, String newReason, String newBy, long newAtMs) {
        return new PluginControl(newState, config, newReason, newBy, newAtMs);
    }

    /** @return this control with one setting overridden, or the override removed when value is null */
    public PluginControl withSetting(String key, String value, String newBy, long newAtMs) {
        Map<String, String> next = new LinkedHashMap<>(config);
        if (value == null) {
            next.remove(key);
        } else {
            next.put(key, value);
        }
        return new PluginControl(state, next, reason, newBy, newAtMs);
    }

    /** @return the record's value */
    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("state", state.text());
        ObjectNode settings = root.putObject("config");
        config.forEach(settings::put);
        if (reason != null) {
            root.put("reason", reason);
        }
        if (by != null) {
            root.put("by", by);
        }
        root.put("at", atMs);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param value a control record's value; null (a tombstone) is {@link #DEFAULT}
     * @return the control it holds
     * @throws IllegalArgumentException saying what is wrong with the value
     */
    public static PluginControl fromJson(byte[] value) {
        if (value == null) {
            return DEFAULT;
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode state = root.get("state");
        if (state == null || !state.isTextual()) {
            throw new IllegalArgumentException("field 'state' (enabled, disabled or paused) is missing");
        }
        Map<String, String> config = new LinkedHashMap<>();
        JsonNode settings = root.get("config");
        if (settings != null && !settings.isNull()) {
            if (!settings.isObject()) {
                throw new IllegalArgumentException("field 'config' is not an object of settings");
            }
            for (Map.Entry<String, JsonNode> e : settings.properties()) {
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw new IllegalArgumentException("setting '" + e.getKey() + "' is not a plain value");
                }
                config.put(e.getKey(), e.getValue().asText());
            }
        }
        return new PluginControl(State.of(state.asText()), config, text(root, "reason"), text(root, "by"),
                root.path("at").asLong(0));
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
