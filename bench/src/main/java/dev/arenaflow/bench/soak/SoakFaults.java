package dev.arenaflow.bench.soak;

import dev.arenaflow.local.LocalKafka;
import dev.arenaflow.local.TcpProxy;
import java.util.List;
import java.util.Random;

/**
 * Makes the soak's faults, one at a time, at seeded random times: after a gap of 20 to 60 s, one of
 * an instance SIGKILLed and started again after 3 to 8 s, the broker SIGKILLed and restarted on its
 * data after 10 to 30 s, or the registry unreachable (its proxy cut) for 10 to 30 s. A fault that
 * would not end before the soak's deadline is not begun.
 *
 * <p>Threading notes: runs on its own thread; {@link #stop} from any thread lets the fault going on
 * finish, and begins no other.
 */
final class SoakFaults implements Runnable {

    private static final int GAP_MIN_S = 20;
    private static final int GAP_MAX_S = 60;
    private static final int KILL_MIN_S = 3;
    private static final int KILL_MAX_S = 8;
    private static final int OUTAGE_MIN_S = 10;
    private static final int OUTAGE_MAX_S = 30;

    private final Random random;
    private final long deadlineNanos;
    private final FaultLog log;
    private final List<SoakInstance> instances;
    private final LocalKafka kafka;
    private final TcpProxy registryProxy;
    private volatile boolean stopping;
    private volatile Exception failure;

    SoakFaults(long seed, long deadlineNanos, FaultLog log, List<SoakInstance> instances, LocalKafka kafka,
            TcpProxy registryProxy) {
        this.random = new Random(seed);
        this.deadlineNanos = deadlineNanos;
        this.log = log;
        this.instances = instances;
        this.kafka = kafka;
        this.registryProxy = registryProxy;
    }

    void stop() {
        stopping = true;
    }

    /** @return what stopped the faults early, or null */
    Exception failure() {
        return failure;
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                int gap = between(GAP_MIN_S, GAP_MAX_S);
                int kind = random.nextInt(3);
                int length = kind == 0 ? between(KILL_MIN_S, KILL_MAX_S) : between(OUTAGE_MIN_S, OUTAGE_MAX_S);
                if (System.nanoTime() + (gap + length) * 1_000_000_000L > deadlineNanos) {
                    return;
                }
                pause(gap);
                if (!stopping) {
                    fault(kind, length);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure = e;
            SoakMain.progress("faults stopped: " + e);
        }
    }

    private void fault(int kind, int lengthS) throws Exception {
        switch (kind) {
            case 0 -> {
                SoakInstance instance = instances.get(random.nextInt(instances.size()));
                during("kill " + instance.name(), instance::kill, lengthS, instance::start);
            }
            case 1 -> during("kill broker", kafka::kill, lengthS, kafka::restart);
            default -> during("cut registry", registryProxy::cut, lengthS, registryProxy::restore);
        }
    }

    /** Begins a fault, holds it for its length, and ends it even if interrupted meanwhile. */
    private void during(String what, Action begin, int lengthS, Action end) throws Exception {
        log.begin(what);
        try {
            begin.run();
            pause(lengthS);
        } finally {
            end.run();
            log.end();
        }
    }

    /** A step of a fault. */
    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    private int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    private static void pause(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
    }
}
