package dev.arenaflow.plugin.testing;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.plugin.PluginState;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.schemas.SnapshotMeta;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Does what each record's payload says, so the harness's checks can be tried on every kind of
 * outcome. Its snapshot is a {@link SnapshotMeta} whose sequence carries the source's running count
 * (in steps of {@code step}).
 */
final class ScriptedPlugin implements Plugin {

    static final String STEP = "step";
    static final Instant DEFER_UNTIL = Instant.parse("2030-01-01T00:00:00Z");

    /** The remote call of the "later" script: the test completes it. */
    final CompletableFuture<String> remote = new CompletableFuture<>();
    private PluginState<Long> counts;
    private long step;

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public boolean keepsState() {
        return true;
    }

    @Override
    public ConfigDef configDef() {
        return new ConfigDef().define(STEP, ConfigDef.Type.LONG, 1L, ConfigDef.Range.atLeast(1),
                ConfigDef.Importance.LOW, "What each record adds to its source's count.");
    }

    @Override
    public void open(PluginContext context) {
        counts = context.state(Serdes.Long());
        step = context.config().getLong(STEP);
    }

    @Override
    public Outcome handle(RawRecordView view, MessageContext message) {
        return switch (new String(view.payloadCopy(), StandardCharsets.UTF_8)) {
            case "fail" -> Outcome.fail("REJECTED", "scripted");
            case "retry" -> Outcome.retry(Duration.ofSeconds(5), "scripted");
            case "defer" -> Outcome.defer(DEFER_UNTIL);
            case "later" -> later(message.newMeta());
            case "leak" -> Outcome.later(CompletableFuture.supplyAsync(() -> Outcome.emit(meta(view.sequence()))));
            default -> count(view.sourceAsString(), message.newMeta());
        };
    }

    private Outcome later(SnapshotMeta meta) {
        return Outcome.later(remote.thenApply(answer -> answer.equals("ok") ? Outcome.emit(meta)
                : Outcome.retry(Duration.ofSeconds(1), answer)));
    }

    private Outcome count(String source, SnapshotMeta meta) {
        Long before = counts.get(source);
        long count = (before == null ? 0 : before) + step;
        counts.put(source, count);
        meta.setSequence(count);
        return Outcome.emit(meta);
    }

    private static SnapshotMeta meta(long sequence) {
        return SnapshotMeta.newBuilder().setPlugin("scripted").setSource("s").setSequence(sequence).setType(1)
                .setEventTime(Instant.EPOCH).setInputTopic("t").setInputPartition(0).setInputOffset(0).setAttempt(1).build();
    }
}
