package dev.arenaflow.cli;

import static dev.arenaflow.cli.PluginsRun.rec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

// A regression may loop forever (a mock consumer never blocks); fail instead of hanging the build.
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PluginsCommandTest {

    private static final String CONTROL = "arenaflow.control";
    private static final String STATUS = "arenaflow.status";
    private static final long NOW_MS = PluginsRun.NOW.toEpochMilli();
    private static final String SETTINGS = """
            application.id=arenaflow-test
            bootstrap.servers=127.0.0.1:1
            arenaflow.registry.url=http://127.0.0.1:1/apis/registry/v2
            arenaflow.plugins=session,enrich
            plugin.enrich.url.template=http://lookup:8080/sources/{source}
            """;
    private static final String PAUSED_WITH_TIMEOUT = "{\"state\":\"paused\",\"config\":{\"request.timeout.ms\":\"5000\"},"
            + "\"reason\":\"lookup maintenance\",\"by\":\"bob@ops-2\",\"at\":1764000000000}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config;
    private PluginsRun kafka;

    @BeforeEach
    void writeSettings() throws IOException {
        config = settings(SETTINGS);
        kafka = new PluginsRun();
    }

    private CommandRun plugins(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "plugins";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--config";
        all[args.length + 2] = config.toString();
        return kafka.run(all);
    }

    private Path settings(String properties) throws IOException {
        Path file = Files.createTempFile(dir, "arenaflow", ".properties");
        Files.writeString(file, properties, StandardCharsets.UTF_8);
        return file;
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    @Test
    void shouldBeListedInArenaflowHelp() {
        CommandRun run = CommandRun.run("", "--help");

        assertThat(run.stdout()).containsPattern("plugins +Shows and changes plugins of running applications");
    }

    @Test
    void shouldHaveHelpWithAnExampleForEverySubcommand() {
        for (String sub : List.of("list", "enable", "disable", "pause", "resume", "set", "unset", "reset")) {
            CommandRun run = kafka.run("plugins", sub, "--help");

            assertThat(run.exitCode()).as(sub).isZero();
            assertThat(run.stdout()).as(sub).contains("Usage: arenaflow plugins " + sub)
                    .contains("bin/arenaflow plugins " + sub + " ");
        }
    }

    @Test
    void shouldListConfiguredPluginsAsEnabledByDefaultAndSayTheTopicsHaveNoRecordsYet() {
        CommandRun run = plugins();

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.lines()).containsExactly(
                "PLUGIN   WANTED             OVERRIDES  TASKS          CHANGED",
                "session  enabled (default)  -          none reported  -",
                "enrich   enabled (default)  -          none reported  -",
                "",
                "arenaflow.control does not exist yet: no control records, so every plugin runs enabled with its "
                        + "start-up settings.",
                "arenaflow.status does not exist yet: no task has reported.");
    }

    @Test
    void shouldListWantedStateOverridesAndWhatEachTaskApplied() {
        kafka.topic(CONTROL, rec("enrich", "{\"state\":\"disabled\",\"config\":{},\"at\":1}"),
                rec("enrich", PAUSED_WITH_TIMEOUT));
        kafka.topic(STATUS,
                rec("enrich/arenaflow/0_0", "{\"plugin\":\"enrich\",\"application\":\"arenaflow\",\"task\":\"0_0\","
                        + "\"state\":\"paused\",\"at\":1764000001000}"),
                rec("enrich/arenaflow/0_1", "{\"plugin\":\"enrich\",\"application\":\"arenaflow\",\"task\":\"0_1\","
                        + "\"state\":\"enabled\",\"problem\":\"setting 'request.timeout.ms': rejected\","
                        + "\"at\":1764000002000}"));

        CommandRun run = list();

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.lines()).containsExactly(
                "PLUGIN   WANTED             OVERRIDES                TASKS                                  CHANGED",
                "session  enabled (default)  -                        none reported                          -",
                "enrich   paused             request.timeout.ms=5000  1 enabled, 1 paused (1 with problems)  "
                        + "2025-11-24T16:00:00Z by bob@ops-2: lookup maintenance",
                "",
                "TASK (plugin/application/task)  APPLIED                   AT                    PROBLEM",
                "enrich/arenaflow/0_0            paused                    2025-11-24T16:00:01Z  -",
                "enrich/arenaflow/0_1            enabled (wanted: paused)  2025-11-24T16:00:02Z  "
                        + "setting 'request.timeout.ms': rejected");
    }

    private CommandRun list() {
        return plugins("list");
    }

    @Test
    void shouldListPluginsWithOnlyAControlRecordAndTreatATombstoneAsNoRecord() {
        kafka.topic(CONTROL, rec("session", "{\"state\":\"disabled\",\"config\":{},\"at\":0}"), rec("session", null),
                rec("retired", "{\"state\":\"disabled\",\"config\":{},\"by\":\"bob\",\"at\":0}"));
        kafka.topic(STATUS);

        CommandRun run = list();

        assertThat(run.lines()).containsExactly(
                "PLUGIN     WANTED             OVERRIDES  TASKS          CHANGED",
                "session    enabled (default)  -          none reported  -",
                "enrich     enabled (default)  -          none reported  -",
                "retired *  disabled           -          none reported  by bob",
                "",
                "* not in arenaflow.plugins of these settings",
                "arenaflow.status has no records yet: no task has reported.");
    }

    @Test
    void shouldShowUnreadableRecordsInsteadOfFailing() {
        kafka.topic(CONTROL, rec("enrich", "{\"state\":\"asleep\"}"));
        kafka.topic(STATUS, rec("session/app/0_0", "not json"));

        CommandRun run = list();

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("unknown (unreadable control record)")
                .contains("state 'asleep' is not one of enabled, disabled, paused (partition 0, offset 0)")
                .contains("session/app/0_0                 ?")
                .contains("unreadable status record: not JSON");
    }

    @Test
    void shouldPrintOneJsonObjectPerPluginAndNotesOnStandardErrorWithJson() throws IOException {
        kafka.topic(CONTROL, rec("enrich", PAUSED_WITH_TIMEOUT));

        CommandRun run = plugins("--json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.lines()).hasSize(2);
        JsonNode session = json(run.lines().get(0));
        assertThat(session.get("plugin").asText()).isEqualTo("session");
        assertThat(session.get("wanted").asText()).isEqualTo("enabled");
        assertThat(session.get("default").asBoolean()).isTrue();
        assertThat(session.get("control").isNull()).isTrue();
        JsonNode enrich = json(run.lines().get(1));
        assertThat(enrich.get("wanted").asText()).isEqualTo("paused");
        assertThat(enrich.get("configured").asBoolean()).isTrue();
        assertThat(enrich.get("control")).isEqualTo(json(PAUSED_WITH_TIMEOUT));
        assertThat(enrich.get("tasks").size()).isZero();
        assertThat(run.stderr()).contains("arenaflow.status does not exist yet");
    }

    @Test
    void shouldReadCommittedRecordsWithoutAConsumerGroup() {
        CommandRun run = list();

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(kafka.clients.consumerConfig).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                .containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1")
                .doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG);
    }

    @Test
    void shouldPauseKeepingTheOverridesAndStampingOperatorAndTime() throws IOException {
        kafka.topic(CONTROL, rec("enrich", PAUSED_WITH_TIMEOUT.replace("paused", "enabled")));

        CommandRun run = plugins("pause", "enrich", "--reason", "upgrade");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String expected = "{\"state\":\"paused\",\"config\":{\"request.timeout.ms\":\"5000\"},\"reason\":\"upgrade\","
                + "\"by\":\"alice@ops-1\",\"at\":" + NOW_MS + "}";
        assertThat(kafka.writtenValues()).containsExactly(expected);
        assertThat(new String(kafka.clients.producer.history().get(0).key(), StandardCharsets.UTF_8)).isEqualTo("enrich");
        assertThat(kafka.clients.producer.history().get(0).topic()).isEqualTo(CONTROL);
        assertThat(run.stdout().strip()).isEqualTo("wrote enrich " + expected + " to arenaflow.control (partition 0, offset 0)");
    }

    @Test
    void shouldWriteWithAnIdempotentProducerAndAcksAll() {
        kafka.topic(CONTROL);

        plugins("disable", "enrich");

        assertThat(kafka.clients.producerConfig).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    }

    @Test
    void shouldResumeAsEnabledAndDropTheReasonOfThePause() throws IOException {
        kafka.topic(CONTROL, rec("enrich", PAUSED_WITH_TIMEOUT));

        CommandRun run = plugins("resume", "enrich", "--by", "carol");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(json(kafka.writtenValues().get(0))).isEqualTo(json("{\"state\":\"enabled\",\"config\":"
                + "{\"request.timeout.ms\":\"5000\"},\"by\":\"carol\",\"at\":" + NOW_MS + "}"));
    }

    @Test
    void shouldCreateTheMissingControlTopicAndSaySo() throws IOException {
        CommandRun run = plugins("disable", "session");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(kafka.createdTopics).containsExactly(CONTROL);
        assertThat(run.stderr()).contains("created the control topic arenaflow.control (compacted, 1 partition)");
        assertThat(json(kafka.writtenValues().get(0)).get("state").asText()).isEqualTo("disabled");
    }

    @Test
    void shouldFailWithStatusOneWhenTheControlTopicCannotBeCreated() {
        kafka.createFailure = dev.arenaflow.cli.plugins.CommandFailure.failed("cannot create the control topic "
                + CONTROL + ": not authorized", null);

        CommandRun run = plugins("pause", "enrich");

        assertThat(run.exitCode()).isOne();
        assertThat(run.stderr()).contains("cannot create the control topic arenaflow.control: not authorized");
        assertThat(kafka.clients.producer.history()).isEmpty();
    }

    @Test
    void shouldFailWithStatusOneWhenTheWriteFails() {
        kafka.topic(CONTROL);
        kafka.clients.producer.sendException = new NotLeaderOrFollowerException("broker gone");

        CommandRun run = plugins("pause", "enrich");

        assertThat(run.exitCode()).as(run.stdout()).isOne();
        assertThat(run.stderr()).contains("enrich").contains("broker gone");
    }

    @Test
    void shouldSetOverridesMergedWithTheCurrentOnesKeepingStateAndReason() throws IOException {
        kafka.topic(CONTROL, rec("enrich", PAUSED_WITH_TIMEOUT));

        CommandRun run = plugins("set", "enrich", "max.concurrent.requests=16", "request.timeout.ms=7000");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(json(kafka.writtenValues().get(0))).isEqualTo(json("{\"state\":\"paused\",\"config\":"
                + "{\"max.concurrent.requests\":\"16\",\"request.timeout.ms\":\"7000\"},"
                + "\"reason\":\"lookup maintenance\",\"by\":\"alice@ops-1\",\"at\":" + NOW_MS + "}"));
    }

    @Test
    void shouldRefuseArenaflowsOwnPluginSettingsAsNeedingARestart() {
        for (String key : List.of("max.in.flight", "timeout.ms", "ordered", "retry.backoff", "retry.max.attempts")) {
            CommandRun run = plugins("set", "enrich", key + "=5");

            assertThat(run.exitCode()).as(key).isEqualTo(2);
            assertThat(run.stderr()).as(key).contains(key).contains("restart");
        }
        assertThat(kafka.clients.producer.history()).isEmpty();
        assertThat(kafka.clients.consumerConfig).as("refused before contacting Kafka").isNull();
    }

    @Test
    void shouldAcceptThePluginsOwnSettingsThatStartWithRetry() {
        kafka.topic(CONTROL);

        CommandRun run = plugins("set", "enrich", "retry.delay.ms=250");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(kafka.writtenValues().get(0)).contains("\"retry.delay.ms\":\"250\"");
    }

    @Test
    void shouldRefuseAnUnknownKeyNamingThePluginsSettings() {
        CommandRun run = plugins("set", "enrich", "colour=blue");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("plugin 'enrich' has no setting colour")
                .contains("[max.concurrent.requests, max.response.bytes, request.timeout.ms, retry.delay.ms, "
                        + "url.template]");
        assertThat(kafka.clients.producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseAKeyWithThePluginPrefixSayingWhatToGiveInstead() {
        CommandRun run = plugins("set", "enrich", "plugin.enrich.request.timeout.ms=5000");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("without the plugin.enrich. prefix: request.timeout.ms");
    }

    @Test
    void shouldRefuseABadValueNamingKeyAndValue() {
        CommandRun run = plugins("set", "enrich", "request.timeout.ms=soon");
        CommandRun zero = plugins("set", "enrich", "max.concurrent.requests=0");
        CommandRun template = plugins("set", "enrich", "url.template=http://lookup/");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("invalid value 'soon' for setting request.timeout.ms of plugin 'enrich'");
        assertThat(zero.stderr()).contains("'0'").contains("max.concurrent.requests").contains("at least 1");
        assertThat(template.stderr()).contains("url.template").contains("{source}");
        assertThat(kafka.clients.producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseMalformedOrRepeatedKeyValueArguments() {
        assertThat(plugins("set", "enrich", "request.timeout.ms").stderr())
                .contains("expected KEY=VALUE but got 'request.timeout.ms'");
        assertThat(plugins("set", "enrich", "a=1", "a=2").stderr()).contains("setting a is given twice");
        assertThat(plugins("set", "enrich").exitCode()).isEqualTo(2);
    }

    @Test
    void shouldRefuseOverridesOfAPluginTheseSettingsDoNotRun() {
        CommandRun run = plugins("set", "flaky", "x=1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("plugin 'flaky' is not in arenaflow.plugins [session, enrich]");
    }

    @Test
    void shouldChangeTheStateOfAPluginOnTheClassPathThatTheseSettingsDoNotRunWithANote() {
        kafka.topic(CONTROL);

        CommandRun run = plugins("pause", "flaky");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("note: plugin 'flaky' is not in arenaflow.plugins");
        assertThat(kafka.writtenValues()).hasSize(1);
    }

    @Test
    void shouldRefuseAnUnknownPluginNamingTheKnownOnes() {
        CommandRun run = plugins("pause", "enrichh");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("unknown plugin 'enrichh'; the plugins on the class path are "
                + "[enrich, flaky, session, slow, stuck]");
        assertThat(kafka.clients.consumerConfig).isNull();
    }

    @Test
    void shouldUnsetAnOverride() throws IOException {
        kafka.topic(CONTROL, rec("enrich", PAUSED_WITH_TIMEOUT));

        CommandRun run = plugins("unset", "enrich", "request.timeout.ms");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(json(kafka.writtenValues().get(0)).get("config").size()).isZero();
        assertThat(json(kafka.writtenValues().get(0)).get("state").asText()).isEqualTo("paused");
    }

    @Test
    void shouldWriteNothingWhenUnsettingAKeyThatHasNoOverride() {
        kafka.topic(CONTROL, rec("enrich", PAUSED_WITH_TIMEOUT));

        CommandRun run = plugins("unset", "enrich", "retry.delay.ms");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("nothing to change for enrich");
        assertThat(kafka.clients.producer.history()).isEmpty();
    }

    @Test
    void shouldNeitherCreateTheControlTopicNorWriteWhenThereIsNothingToUnset() {
        CommandRun run = plugins("unset", "enrich", "request.timeout.ms");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(kafka.createdTopics).isEmpty();
        assertThat(kafka.clients.producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseToUnsetAKeyThePluginDoesNotHave() {
        kafka.topic(CONTROL, rec("enrich", PAUSED_WITH_TIMEOUT));

        CommandRun run = plugins("unset", "enrich", "colour");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("has no setting colour");
    }

    @Test
    void shouldResetWithATombstone() {
        kafka.topic(CONTROL, rec("enrich", PAUSED_WITH_TIMEOUT));

        CommandRun run = plugins("reset", "enrich");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(kafka.writtenValues()).containsExactly((String) null);
        assertThat(run.stdout()).contains("wrote a tombstone for enrich to arenaflow.control");
    }

    @Test
    void shouldRefuseToChangeAnUnreadableControlRecordButResetIt() {
        kafka.topic(CONTROL, rec("enrich", "{\"state\":\"asleep\"}"));

        CommandRun run = plugins("pause", "enrich");

        assertThat(run.exitCode()).isOne();
        assertThat(run.stderr()).contains("the control record of 'enrich' in arenaflow.control (partition 0, offset 0) "
                + "is unreadable").contains("'arenaflow plugins reset enrich' replaces it");
        assertThat(kafka.clients.producer.history()).isEmpty();
    }

    @Test
    void shouldPrintTheWrittenRecordAsJsonWithJson() throws IOException {
        kafka.topic(CONTROL);

        CommandRun run = plugins("pause", "enrich", "--json");

        JsonNode written = json(run.stdout());
        assertThat(written.get("topic").asText()).isEqualTo(CONTROL);
        assertThat(written.get("plugin").asText()).isEqualTo("enrich");
        assertThat(written.get("offset").asLong()).isZero();
        assertThat(written.get("value")).isEqualTo(json(kafka.writtenValues().get(0)));
    }

    @Test
    void shouldRefuseInvalidSettingsAsRunDoes() throws IOException {
        config = settings(SETTINGS + "arenaflow.plugin=session\n");

        CommandRun run = list();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("invalid configuration: Unknown setting arenaflow.plugin=session");
    }

    @Test
    void shouldTakeSettingsAndTopicNamesFromTheEnvironment() {
        kafka.environment.put("ARENAFLOW_ARENAFLOW_CONTROL_TOPIC", "ops.control");
        kafka.topic("ops.control");

        CommandRun run = plugins("pause", "enrich");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(kafka.clients.producer.history().get(0).topic()).isEqualTo("ops.control");
    }

    @Test
    void shouldRefuseATimeoutBelowOneMillisecond() {
        CommandRun run = plugins("list", "--timeout-ms", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--timeout-ms must be at least 1 but was 0");
    }
}
