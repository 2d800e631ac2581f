package dev.arenaflow.bench.soak;

import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The soak's options: {@code --minutes N} (required, at least 1), {@code --guarantee
 * exactly_once_v2|at_least_once}, {@code --rate R} records per second, {@code --seed S}.
 */
public record SoakOptions(int minutes, String guarantee, int rate, long seed) {

    static final String USAGE = "usage: bench/run.sh soak --minutes N [--guarantee exactly_once_v2|at_least_once]"
            + " [--rate RECORDS_PER_S] [--seed S]";
    private static final Set<String> GUARANTEES = Set.of("exactly_once_v2", "at_least_once");

    /**
     * @return the parsed options
     * @throws IllegalArgumentException with a message naming the bad argument
     */
    public static SoakOptions parse(String[] args) {
        Integer minutes = null;
        String guarantee = "exactly_once_v2";
        int rate = 200;
        long seed = ThreadLocalRandom.current().nextLong();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--minutes" -> minutes = number(args[i], value);
                case "--guarantee" -> guarantee = value;
                case "--rate" -> rate = number(args[i], value);
                case "--seed" -> seed = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
            i++;
        }
        if (minutes == null || minutes < 1) {
            throw new IllegalArgumentException("--minutes must be given, at least 1");
        }
        if (!GUARANTEES.contains(guarantee)) {
            throw new IllegalArgumentException("--guarantee must be one of " + GUARANTEES + ", not " + guarantee);
        }
        if (rate < 1) {
            throw new IllegalArgumentException("--rate must be at least 1, not " + rate);
        }
        return new SoakOptions(minutes, guarantee, rate, seed);
    }

    /** @return whether a doubled input fails the run */
    public boolean exactlyOnce() {
        return guarantee.startsWith("exactly_once");
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not " + value);
        }
    }
}
