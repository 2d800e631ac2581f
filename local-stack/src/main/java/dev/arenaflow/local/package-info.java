/**
 * A real Kafka broker and a real schema registry as child processes on free loopback ports, for
 * {@code arenaflow demo}, the integration tests and the bench; never in the production image. The
 * servers' jars come from this module's build output under {@code local-stack/target}, found by
 * {@link dev.arenaflow.local.LocalStackLayout}.
 */
package dev.arenaflow.local;
