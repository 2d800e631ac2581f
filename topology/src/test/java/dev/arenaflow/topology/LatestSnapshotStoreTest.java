package dev.arenaflow.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.topology.latest.LatestSnapshot;
import dev.arenaflow.topology.testing.ArenaflowDriver;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The store the API layer answers GetLatest from: the last snapshot of each source, as on its topic. */
class LatestSnapshotStoreTest {

    @Test
    void holdsTheLastSnapshotOfEachSourceByteForByteWithItsPlace() {
        try (ArenaflowDriver driver = new ArenaflowDriver(Map.of())) {
            driver.send("dev-a", 1, 7, (byte) 1);
            driver.send("dev-b", 1, 7, (byte) 2, (byte) 3);
            driver.send("dev-a", 2, 7, (byte) 4);
            List<TestRecord<byte[], byte[]>> written = driver.snapshotRecords("session");
            assertThat(written).hasSize(3);

            LatestSnapshot a = LatestSnapshot.decode(driver.latest("session", "dev-a"));
            assertThat(a.value()).isEqualTo(written.get(2).value());
            assertThat(a.offset()).isEqualTo(2);
            assertThat(a.timestampMs()).isEqualTo(written.get(2).timestamp());
            LatestSnapshot b = LatestSnapshot.decode(driver.latest("session", "dev-b"));
            assertThat(b.value()).isEqualTo(written.get(1).value());
            assertThat(b.offset()).isEqualTo(1);
            assertThat(driver.latest("session", "dev-c")).isNull();
        }
    }

    @Test
    void isLeftOutWhenTheApiIsOff() {
        try (ArenaflowDriver on = new ArenaflowDriver(Map.of())) {
            assertThat(on.stores()).contains(ArenaflowConfig.latestStore("session"));
        }
        try (ArenaflowDriver off = new ArenaflowDriver(Map.of(ArenaflowConfig.GRPC_PORT, "-1"))) {
            assertThat(off.stores()).doesNotContain(ArenaflowConfig.latestStore("session"));
        }
    }

    @Test
    void encodingRoundTrips() {
        LatestSnapshot snapshot = new LatestSnapshot(3, 123_456_789_012L, 1_764_000_000_000L, new byte[] {0, 1, 2});
        assertThat(LatestSnapshot.decode(snapshot.encode())).isEqualTo(snapshot);
    }
}
