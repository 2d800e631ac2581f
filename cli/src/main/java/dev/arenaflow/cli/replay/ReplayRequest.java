package dev.arenaflow.cli.replay;

/**
 * What the user asked replay to do.
 *
 * @param sourceTopic the topic read, normally the plugin's dead-letter topic
 * @param plugin the plugin whose retry topic is written
 * @param selection which records to look at
 * @param maxReplays records replayed this often already are kept
 * @param maxRecords stop before replaying more than this many
 * @param dryRun write nothing, only say what would move
 */
public record ReplayRequest(String sourceTopic, String plugin, ReplaySelection selection, long maxReplays,
                            long maxRecords, boolean dryRun) {
}
