package dev.arenaflow.bench.async;

/**
 * A small input every contender handles once, unmeasured, before its measured run, so that none
 * of them is timed with a cold JIT: otherwise whichever ran first in a JVM would look slower.
 *
 * @param topic the warm-up input, one partition
 * @param records how many records it holds
 */
public record WarmUp(String topic, int records) {
}
