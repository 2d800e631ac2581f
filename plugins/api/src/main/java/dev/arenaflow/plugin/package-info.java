/**
 * The plugin API: what a plugin author implements and depends on.
 *
 * <p>A {@link dev.arenaflow.plugin.Plugin} receives each message it accepts as a borrowed
 * {@link dev.arenaflow.record.RawRecordView} and answers with an {@link dev.arenaflow.plugin.Outcome}.
 * Three contracts hold for every plugin:
 *
 * <ul>
 *   <li><b>Ownership.</b> The view is borrowed: it is valid only while the {@code handle} call that
 *       received it runs. Any use of it afterwards throws {@link java.lang.IllegalStateException}.
 *       Whatever a plugin keeps or emits must be copied out of the view during the call; snapshots
 *       are owned Avro records.
 *   <li><b>Threading.</b> arenaflow calls {@code open}, {@code handle} and {@code close} of one plugin
 *       instance on one stream thread only. Each stream task gets its own instance, so a plugin's
 *       fields need no locking. {@link dev.arenaflow.plugin.PluginState} and
 *       {@link dev.arenaflow.plugin.MessageContext} may be used only on that thread, during those calls.
 *       An async plugin returns {@link dev.arenaflow.plugin.Outcome#later}: its stage may complete on
 *       any thread, and arenaflow hands the outcome back to the stream thread through a queue. Only
 *       the stream thread forwards records, writes stores or acknowledges. At most
 *       {@code plugin.<name>.max.in.flight} messages per task are unacknowledged; at that bound the
 *       stream thread waits for completions instead of taking more input. By default a plugin has at
 *       most one message per source in flight, so outcomes leave in input order per source.
 *   <li><b>Acknowledgement.</b> A message is done when its outcome has been applied: its snapshots
 *       forwarded, its retry record written to one of the plugin's retry topics (it comes back as the
 *       next attempt, {@link dev.arenaflow.plugin.MessageContext#attempt()}), or its dead letter
 *       written. It is acknowledged to Kafka with the next commit of
 *       the input offsets. Until then it is held in the plugin's arena, and after a crash it is
 *       consumed again, so a plugin may see a message more than once under at-least-once.
 * </ul>
 */
package dev.arenaflow.plugin;
