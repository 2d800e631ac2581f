/**
 * The plugin API: what a plugin author implements and depends on.
 *
 * <p>A {@link dev.arenaflow.plugin.Plugin} receives each message it accepts as a borrowed
 * {@link dev.arenaflow.record.RawRecordView} and answers with an {@link dev.arenaflow.plugin.Outcome}.
 * Four contracts hold for every plugin:
 *
 * <ul>
 *   <li><b>Ownership.</b> The view and the {@link dev.arenaflow.plugin.MessageContext} are borrowed:
 *       valid only while the {@code handle} call that received them runs, on its thread. Whatever a
 *       plugin keeps or emits must be copied out during the call; snapshots are owned Avro records.
 *       A use on any other thread throws {@link java.lang.IllegalStateException}, at any time, as
 *       does a use on the stream thread between two calls. Under the strict loan guard
 *       ({@code arenaflow.loan.guard=strict}, always on in
 *       {@link dev.arenaflow.plugin.testing.PluginHarness}) every call gets its own view and
 *       context, so a reference kept into a later call throws too; under the default level it would
 *       read that later call's message.
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
 *   <li><b>Containment.</b> An exception from {@code handle} or from the stage is a failed attempt,
 *       retried. A {@code handle} call that blocks the stream thread longer than
 *       {@code plugin.<name>.handle.timeout.ms} pauses the plugin once it returns (its outcome is
 *       still applied), and an {@link java.lang.Error} thrown from {@code handle} or completing the
 *       stage makes the message a dead letter {@code PLUGIN_ERROR} and pauses the plugin; either
 *       way every instance pauses it, until an operator resumes it. A
 *       {@link java.lang.VirtualMachineError} other than {@link java.lang.StackOverflowError} thrown
 *       from {@code handle} is not contained: the instance stops.
 *   <li><b>Acknowledgement.</b> A message is done when its outcome has been applied on the stream
 *       thread: its snapshots forwarded, its dead letter written, or its retry record written to one
 *       of the plugin's retry topics (it comes back as the next attempt,
 *       {@link dev.arenaflow.plugin.MessageContext#attempt()}). It is then removed from the plugin's
 *       arena, and Kafka learns of it with the next commit of the input offsets. Until then it is held
 *       in the arena, as are deferred messages, messages held while the plugin is paused and, with
 *       {@code retry.ordered=true}, messages awaiting their retry; what the arena holds at a commit is
 *       made durable before the offsets are committed. After a crash or a rebalance, the messages the
 *       arena held at the last commit are restored and handed to the plugin again, and the records
 *       after the last committed offset are consumed and handed to it again. This happens under
 *       {@code exactly_once_v2} as under {@code at_least_once}: exactly-once makes what the plugin
 *       emits appear once to {@code read_committed} consumers (an aborted transaction's snapshots,
 *       retry records and dead letters are never read), not the calls to {@code handle}. A plugin with
 *       side effects of its own, such as a remote write, must tolerate seeing a message again.
 * </ul>
 */
package dev.arenaflow.plugin;
