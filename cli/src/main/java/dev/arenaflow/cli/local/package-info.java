/**
 * A real Kafka broker and a real schema registry as child processes on free loopback ports, for
 * {@code arenaflow demo} and the integration tests. The servers' jars come from the
 * {@code local-stack} module's build output, found by {@link dev.arenaflow.cli.local.LocalStackLayout}.
 */
package dev.arenaflow.cli.local;
