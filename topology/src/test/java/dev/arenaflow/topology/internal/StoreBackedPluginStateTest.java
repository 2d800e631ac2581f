package dev.arenaflow.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The production plugin state: usable by the thread that created it, refused to every other. */
class StoreBackedPluginStateTest {

    private final ExecutorService completing = Executors.newSingleThreadExecutor(r -> new Thread(r, "completing"));
    private KeyValueStore<Bytes, byte[]> store;
    private StoreBackedPluginState<Long> state;

    @BeforeEach
    void setUp() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("state-p"), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        state = new StoreBackedPluginState<>(store, Serdes.Long());
    }

    @AfterEach
    void tearDown() {
        completing.shutdownNow();
        store.close();
    }

    @Test
    void shouldReadWriteAndDeleteOnTheCreatingThread() {
        state.put("dev-1", 7L);
        assertThat(state.get("dev-1")).isEqualTo(7L);

        state.delete("dev-1");

        assertThat(state.get("dev-1")).isNull();
    }

    @Test
    void shouldRefuseEveryCallFromAnotherThreadAndLeaveTheStoreUntouched() {
        state.put("dev-1", 7L);
        String owner = Thread.currentThread().getName();
        List<Consumer<StoreBackedPluginState<Long>>> calls = List.of(
                s -> s.get("dev-1"), s -> s.put("dev-1", 8L), s -> s.delete("dev-1"));

        for (Consumer<StoreBackedPluginState<Long>> call : calls) {
            assertThatThrownBy(completing.submit(() -> call.accept(state))::get).cause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("plugin state state-p used from thread completing")
                    .hasMessageContaining("only the stream thread " + owner + " may use it");
        }
        assertThat(state.get("dev-1")).isEqualTo(7L);
    }
}
