/**
 * A small local lookup service, so that {@code arenaflow demo} can run the {@code enrich} plugin
 * with no outside service: {@link dev.arenaflow.local.lookup.LookupService}.
 */
package dev.arenaflow.local.lookup;
