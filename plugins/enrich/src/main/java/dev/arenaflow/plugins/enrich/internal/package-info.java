/**
 * The enrich plugin's implementation: the HTTP lookup, its concurrency limit, and the mapping of
 * responses to outcomes. Not an API; it may change at any time.
 */
package dev.arenaflow.plugins.enrich.internal;
