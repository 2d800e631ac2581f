package dev.arenaflow.cli.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arenaflow.topology.control.PluginStatus;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Renders an overview as one JSON object for scripts. Control and status values appear as stored,
 * secrets included, as any Kafka tool would print them:
 *
 * <pre>
 * {"plugin":"enrich","configured":true,"wanted":"paused","default":false,
 *  "control":{"state":"paused","config":{},"reason":"..","by":"..","at":1764000000000},
 *  "tasks":[{"key":"enrich/arenaflow/0_0","plugin":"enrich","application":"arenaflow","task":"0_0",
 *            "state":"paused","at":1764000000100}]}
 * </pre>
 */
public final class PluginOverviewJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PluginOverviewJson() {
    }

    /** @param plugin an overview @return one line of JSON, without a newline */
    public static String line(PluginOverview plugin) {
        ObjectNode root = JSON.createObjectNode();
        root.put("plugin", plugin.name());
        root.put("configured", plugin.configured());
        if (plugin.unreadableControl() != null) {
            root.putNull("wanted");
            root.put("controlError", plugin.unreadableControl());
        } else {
            root.put("wanted", plugin.wantedState().text());
        }
        root.put("default", plugin.control() == null && plugin.unreadableControl() == null);
        root.set("control", plugin.control() == null ? JSON.nullNode() : tree(plugin.control().toJson()));
        ArrayNode tasks = root.putArray("tasks");
        plugin.tasks().forEach(task -> tasks.add(task(task)));
        return root.toString();
    }

    private static ObjectNode task(TaskReport task) {
        ObjectNode node = JSON.createObjectNode();
        node.put("key", task.key());
        PluginStatus status = task.status();
        if (status == null) {
            node.put("error", task.unreadable());
        } else {
            node.setAll((ObjectNode) tree(status.toJson()));
        }
        return node;
    }

    private static JsonNode tree(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("arenaflow wrote JSON it cannot read back", e);
        }
    }
}
