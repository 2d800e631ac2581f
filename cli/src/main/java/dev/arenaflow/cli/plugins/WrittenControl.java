package dev.arenaflow.cli.plugins;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.control.PluginControl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * What a write to the control topic did, as the command reports it.
 *
 * @param topic the control topic
 * @param plugin the record's key
 * @param control the value written (null for a tombstone), or the unchanged current control
 * @param written false if nothing had to change, so nothing was written
 * @param partition where it was written, or -1
 * @param offset where it was written, or -1
 */
public record WrittenControl(String topic, String plugin, PluginControl control, boolean written, int partition,
                             long offset) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @return one line for a person; values of secret-looking settings hidden */
    public String text() {
        if (!written) {
            return "nothing to change for " + plugin + ": its control record already says so; nothing written";
        }
        String where = " to " + topic + " (partition " + partition + ", offset " + offset + ")";
        if (control == null) {
            return "wrote a tombstone for " + plugin + where + ": it runs enabled with its start-up settings";
        }
        return "wrote " + plugin + " " + new String(masked(control).toJson(), StandardCharsets.UTF_8) + where;
    }

    /** @return one line of JSON for scripts, with the value as stored */
    public String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("topic", topic);
        root.put("plugin", plugin);
        root.put("written", written);
        if (written) {
            root.put("partition", partition);
            root.put("offset", offset);
        }
        try {
            root.set("value", control == null ? JSON.nullNode() : JSON.readTree(control.toJson()));
        } catch (IOException e) {
            throw new UncheckedIOException("arenaflow wrote JSON it cannot read back", e);
        }
        return root.toString();
    }

    private static PluginControl masked(PluginControl control) {
        TreeMap<String, String> shown = new TreeMap<>();
        control.config().forEach((k, v) -> shown.put(k, ArenaflowSettings.printable(k, v)));
        return new PluginControl(control.state(), shown, control.reason(), control.by(), control.atMs());
    }
}
