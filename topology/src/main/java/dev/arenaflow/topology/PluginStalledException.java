package dev.arenaflow.topology;

/**
 * A plugin's task stalled and its {@code watchdog.action} is {@code fail}: thrown on the stream
 * thread, it stops this instance (it is not a broker error, so the thread is not replaced), and
 * another instance of the application takes the task over and dispatches its pending messages again.
 */
public final class PluginStalledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param plugin the plugin's name
     * @param task the task that stalled
     * @param why what the watchdog saw
     */
    public PluginStalledException(String plugin, String task, String why) {
        super("Plugin " + plugin + " stalled in task " + task + " (watchdog.action=fail): " + why);
    }
}
