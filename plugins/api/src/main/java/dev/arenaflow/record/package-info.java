/**
 * Raw Record v1, the public byte format of arenaflow's input records: {@link dev.arenaflow.record.RawRecordView}
 * reads it in place, {@link dev.arenaflow.record.RawRecordWriter} writes it,
 * {@link dev.arenaflow.record.RawRecordFormat} holds its layout and {@link dev.arenaflow.record.DecodeError}
 * names the ways a value can break it. The byte-by-byte contract is in {@code docs/raw-record-v1.md}.
 */
package dev.arenaflow.record;
