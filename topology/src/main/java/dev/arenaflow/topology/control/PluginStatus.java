package dev.arenaflow.topology.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What one task of a running application did with a plugin's control record: a record of the
 * status topic, keyed {@code <plugin>/<application.id>/<task>} (see {@link #key}), its value UTF-8
 * JSON:
 *
 * <pre>
 * {"plugin":"enrich","application":"arenaflow","task":"0_1","state":"paused",
 *  "problem":"setting 'request.timeout.ms': Invalid value x ...","quarantined":0,"at":1764000000000}
 * </pre>
 *
 * {@code state} is the state the task applies; {@code problem}, when present, says why the
 * latest control record was not applied as asked (an invalid config, kept the old one) or why the
 * circuit breaker paused the plugin; {@code quarantined} is how many sources the task had
 * quarantined then (absent in records of earlier versions: 0).
 *
 * @param plugin the plugin's name
 * @param application the application id
 * @param task the task id
 * @param state the state applied
 * @param problem what went wrong, or null
 * @param quarantined sources the task had quarantined
 * @param atMs when, epoch milliseconds
 */
public record PluginStatus(String plugin, String application, String task, PluginControl.State state,
                           String problem, int quarantined, long atMs) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @return the record's key: one per plugin, application and task, so compaction keeps the latest */
    public String key() {
        return plugin + "/" + application + "/" + task;
    }

    /** @return the record's value */
    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("plugin", plugin);
        root.put("application", application);
        root.put("task", task);
        root.put("state", state.text());
        if (problem != null) {
            root.put("problem", problem);
        }
        root.put("quarantined", quarantined);
        root.put("at", atMs);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param value a status record's value
     * @return the status
     * @throws IllegalArgumentException saying what is wrong with the value
     */
    public static PluginStatus fromJson(byte[] value) {
        try {
            JsonNode root = JSON.readTree(value);
            if (root == null || !root.isObject() || !root.hasNonNull("plugin") || !root.hasNonNull("state")) {
                throw new IllegalArgumentException("not a plugin status: " + new String(value, StandardCharsets.UTF_8));
            }
            JsonNode problem = root.get("problem");
            return new PluginStatus(root.get("plugin").asText(), root.path("application").asText(""),
                    root.path("task").asText(""), PluginControl.State.of(root.get("state").asText()),
                    problem == null || problem.isNull() ? null : problem.asText(), root.path("quarantined").asInt(0),
                    root.path("at").asLong(0));
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
