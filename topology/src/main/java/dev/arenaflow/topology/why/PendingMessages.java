package dev.arenaflow.topology.why;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * Answers "why is this source not done?" for the tasks of this instance. The state it reads
 * belongs to each task's stream thread, so a question is posted to every task of the plugin and
 * answered by its stream thread at its next poll (within about 20 ms, or once the thread stops
 * waiting for capacity); the caller bounds the wait.
 *
 * <p>Threading notes: {@link #ask} on any thread; {@link #register}, {@link #unregister} and
 * {@link Task#answer} on the task's stream thread.
 */
public final class PendingMessages {

    /** The questions posted to one task, answered on its stream thread. */
    public static final class Task {
        private record Question(String source, CompletableFuture<Optional<SourceReport>> answer) {
        }

        private final ConcurrentLinkedQueue<Question> questions = new ConcurrentLinkedQueue<>();

        /**
         * Answers every question posted since the last call.
         *
         * @param report what the task holds of a source; empty if nothing
         */
        public void answer(Function<String, Optional<SourceReport>> report) {
            for (Question q = questions.poll(); q != null; q = questions.poll()) {
                try {
                    q.answer().complete(report.apply(q.source()));
                } catch (RuntimeException e) {
                    q.answer().completeExceptionally(e);
                }
            }
        }

        private CompletableFuture<Optional<SourceReport>> post(String source) {
            CompletableFuture<Optional<SourceReport>> answer = new CompletableFuture<>();
            questions.add(new Question(source, answer));
            return answer;
        }

        private void abandon() {
            for (Question q = questions.poll(); q != null; q = questions.poll()) {
                q.answer().complete(Optional.empty());
            }
        }
    }

    /** Where the application hands this instance's registry to its tasks, among Kafka Streams' settings. */
    public static final String PROPERTY = "arenaflow.internal.pending.messages";

    private final Map<String, Map<String, Task>> byPlugin = new ConcurrentHashMap<>();

    /**
     * @param plugin the plugin
     * @param taskId the task that opened it
     * @return where the task answers questions; replaces a task registered under the same id
     */
    public Task register(String plugin, String taskId) {
        Task task = new Task();
        Task old = byPlugin.computeIfAbsent(plugin, p -> new ConcurrentHashMap<>()).put(taskId, task);
        if (old != null) {
            old.abandon();
        }
        return task;
    }

    /** The task closed the plugin; its unanswered questions get an empty answer. */
    public void unregister(String plugin, String taskId, Task task) {
        Map<String, Task> tasks = byPlugin.get(plugin);
        if (tasks != null && tasks.remove(taskId, task)) {
            task.abandon();
        }
    }

    /**
     * @param plugin the plugin
     * @param source the source
     * @return one future per task of the plugin on this instance, each completing with what that
     *         task holds of the source (empty if nothing); no futures if no task of it runs here
     */
    public List<CompletableFuture<Optional<SourceReport>>> ask(String plugin, String source) {
        List<CompletableFuture<Optional<SourceReport>>> answers = new ArrayList<>();
        byPlugin.getOrDefault(plugin, Map.of()).values().forEach(task -> answers.add(task.post(source)));
        return answers;
    }
}
