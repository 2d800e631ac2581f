package dev.arenaflow.cli.plugins;

import dev.arenaflow.topology.control.PluginControl;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Joins the configured plugins, the control topic and the status topic into one overview per plugin. */
public final class PluginOverviews {

    private PluginOverviews() {
    }

    /**
     * @param configured the plugins {@code arenaflow.plugins} names, shown first and in its order
     * @param control the control topic's contents
     * @param status the status topic's contents
     * @return one overview per plugin that is configured, or has a control or a status record
     */
    public static List<PluginOverview> of(List<String> configured, TopicContents control, TopicContents status) {
        Map<String, List<TaskReport>> tasks = status.latest().values().stream().map(TaskReport::of)
                .collect(Collectors.groupingBy(TaskReport::plugin, TreeMap::new, Collectors.toList()));
        Set<String> names = new LinkedHashSet<>(configured);
        names.addAll(control.latest().keySet());
        names.addAll(tasks.keySet());
        List<PluginOverview> overviews = new ArrayList<>();
        for (String name : names) {
            overviews.add(overview(name, configured.contains(name), control, tasks.getOrDefault(name, List.of())));
        }
        return overviews;
    }

    private static PluginOverview overview(String name, boolean configured, TopicContents control,
                                           List<TaskReport> tasks) {
        KeyedRecord record = control.latest(name).orElse(null);
        if (record == null) {
            return new PluginOverview(name, configured, null, null, tasks);
        }
        try {
            return new PluginOverview(name, configured, PluginControl.fromJson(record.value()), null, tasks);
        } catch (IllegalArgumentException e) {
            return new PluginOverview(name, configured, null, e.getMessage() + " (" + record.position() + ")", tasks);
        }
    }
}
