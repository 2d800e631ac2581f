package dev.arenaflow.cli.plugins;

import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.control.PluginControl;
import dev.arenaflow.topology.control.PluginStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Renders the overviews for a person: one table of plugins (what is wanted), one of tasks (what is
 * applied), then notes on topics that have no records yet. Values of secret-looking settings are
 * hidden.
 */
public final class PluginTable {

    static final String NOT_CONFIGURED_MARK = " *";

    private PluginTable() {
    }

    /**
     * @param plugins the overviews
     * @param control the control topic's contents
     * @param status the status topic's contents
     * @return the text, ending with a newline
     */
    public static String render(List<PluginOverview> plugins, TopicContents control, TopicContents status) {
        StringBuilder text = new StringBuilder(plugins(plugins));
        if (plugins.stream().anyMatch(p -> !p.tasks().isEmpty())) {
            text.append('\n').append(tasks(plugins));
        }
        List<String> notes = new ArrayList<>();
        if (plugins.stream().anyMatch(p -> !p.configured())) {
            notes.add(NOT_CONFIGURED_MARK.strip() + " not in " + ArenaflowConfig.PLUGINS + " of these settings");
        }
        notes.addAll(notes(control, status));
        if (!notes.isEmpty()) {
            text.append('\n');
            notes.forEach(note -> text.append(note).append('\n'));
        }
        return text.toString();
    }

    /**
     * @param control the control topic's contents
     * @param status the status topic's contents
     * @return what a reader should know about topics without records
     */
    public static List<String> notes(TopicContents control, TopicContents status) {
        List<String> notes = new ArrayList<>();
        if (!control.exists()) {
            notes.add(control.topic() + " does not exist yet: no control records, so every plugin runs enabled "
                    + "with its start-up settings.");
        }
        if (!status.exists()) {
            notes.add(status.topic() + " does not exist yet: no task has reported.");
        } else if (status.latest().isEmpty()) {
            notes.add(status.topic() + " has no records yet: no task has reported.");
        }
        return notes;
    }

    private static String plugins(List<PluginOverview> plugins) {
        TextTable table = new TextTable("PLUGIN", "WANTED", "OVERRIDES", "TASKS", "CHANGED");
        for (PluginOverview p : plugins) {
            table.row(p.name() + (p.configured() ? "" : NOT_CONFIGURED_MARK), p.wanted(), overrides(p.control()),
                    taskSummary(p.tasks()), changed(p));
        }
        return table.render();
    }

    private static String tasks(List<PluginOverview> plugins) {
        TextTable table = new TextTable("TASK (plugin/application/task)", "APPLIED", "AT", "PROBLEM");
        for (PluginOverview p : plugins) {
            for (TaskReport task : p.tasks()) {
                PluginStatus s = task.status();
                if (s == null) {
                    table.row(task.key(), "?", null, "unreadable status record: " + task.unreadable());
                } else {
                    table.row(task.key(), applied(p, s) + (s.quarantined() == 0 ? ""
                            : ", " + s.quarantined() + (s.quarantined() == 1 ? " source" : " sources") + " quarantined"),
                            when(s.atMs()), s.problem());
                }
            }
        }
        return table.render();
    }

    /** A task that applies another state than the wanted one has not caught up, or a circuit breaker tripped. */
    private static String applied(PluginOverview plugin, PluginStatus status) {
        boolean differs = plugin.unreadableControl() == null && status.state() != plugin.wantedState();
        return status.state().text() + (differs ? " (wanted: " + plugin.wantedState().text() + ")" : "");
    }

    private static String overrides(PluginControl control) {
        if (control == null) {
            return null;
        }
        return control.config().entrySet().stream()
                .map(e -> e.getKey() + "=" + ArenaflowSettings.printable(e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String taskSummary(List<TaskReport> tasks) {
        if (tasks.isEmpty()) {
            return "none reported";
        }
        Map<String, Long> byState = tasks.stream().collect(Collectors.groupingBy(
                t -> t.status() == null ? "unreadable" : t.status().state().text(), TreeMap::new, Collectors.counting()));
        long problems = tasks.stream().filter(t -> t.status() != null && t.status().problem() != null).count();
        String summary = byState.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        return problems == 0 ? summary : summary + " (" + problems + " with problems)";
    }

    private static String changed(PluginOverview plugin) {
        if (plugin.unreadableControl() != null) {
            return plugin.unreadableControl();
        }
        PluginControl c = plugin.control();
        if (c == null) {
            return null;
        }
        String who = Stream.of(when(c.atMs()), c.by() == null ? null : "by " + c.by()).filter(Objects::nonNull)
                .collect(Collectors.joining(" "));
        return c.reason() == null ? who : who + ": " + c.reason();
    }

    /** @param epochMillis a time, or 0 for none @return the time in UTC to the second, or null */
    static String when(long epochMillis) {
        return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
