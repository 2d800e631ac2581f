package dev.arenaflow.bench.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time of some of another JVM's threads, from Linux's {@code /proc/<pid>/task/*}: there the
 * API layer's own threads ({@code arenaflow-api-*}, gRPC's {@code grpc-*}) can be told from Kafka
 * Streams', which a process's CPU time mixes in. Thread names are cut to 15 characters there;
 * times are in clock ticks (10 ms). A thread that ends takes its time with it, so this counts
 * threads alive at the second reading; the API's reader and sender threads live as long as the
 * server, gRPC's executor threads 60 s idle.
 */
final class ThreadCpu {

    /** {@code getconf CLK_TCK} on Linux, which the JVM cannot ask. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ThreadCpu() {
    }

    /** @return CPU time of the process's API threads, in nanoseconds; -1 without {@code /proc} */
    static long apiNanos(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return -1;
        }
        long ticks = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) {
                try {
                    String name = Files.readString(thread.resolve("comm"), StandardCharsets.UTF_8).trim();
                    if (name.startsWith("arenaflow-api") || name.startsWith("grpc-")) {
                        String stat = Files.readString(thread.resolve("stat"), StandardCharsets.UTF_8);
                        // After the name's closing parenthesis: state is field 3, utime 14, stime 15.
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (IOException e) {
                    // The thread ended while we listed them.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tasks, e);
        }
        return ticks * NANOS_PER_TICK;
    }
}
