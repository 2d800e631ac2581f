package dev.arenaflow.bench.sync;

import org.apache.kafka.streams.StreamsConfig;

/** The two processing guarantees, with the short names the result names use. */
enum Guarantee {
    ALOS("alos", StreamsConfig.AT_LEAST_ONCE),
    EOS("eos", StreamsConfig.EXACTLY_ONCE_V2);

    final String shortName;
    final String config;

    Guarantee(String shortName, String config) {
        this.shortName = shortName;
        this.config = config;
    }
}
