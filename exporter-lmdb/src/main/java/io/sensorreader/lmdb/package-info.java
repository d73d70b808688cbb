/**
 * The durable spool on LMDB ({@code SpoolFactory} named {@code lmdb}).
 *
 * <h2>Where and what</h2>
 * One environment, {@code <SENSOR_READER_DATA_DIR>/data.lmdb}, default (unnamed) database only, where
 * the Python agent kept its spool: its leftover records ({@code batch-…}, {@code device-status-…},
 * {@code sensor-batch-…}) are read as they are and sort before ours ({@code sr-<20-digit sequence>-s|-d}),
 * so they are delivered first, with no migration. Dead letters ({@code ~dead-…}) and the counters
 * ({@code ~meta}) sort after every queue key. docs/spool.md has the layout and the reasons.
 *
 * <h2>Durability</h2>
 * Every write is one short LMDB transaction with LMDB's default sync: when {@code append} returns,
 * the record is on disk, and a crash, {@code kill -9} or power cut loses nothing (a test kills
 * appending child JVMs fifty times). The counters change in the same transaction as the records.
 *
 * <h2>Room</h2>
 * {@code SENSOR_READER_SPOOL_MAX_MB} (default 256) bounds the map. Records may fill 80% of it,
 * measured in LMDB pages; dead letters at most 10%. When full, the oldest sensor batches go first
 * (device status is spared while a sensor batch is within the oldest thousand records), counted
 * persistently and logged as a WARN; the oldest dead letter makes room for a new one, also counted
 * and logged. A map-full error that still happens grows the map by a tenth, at most ten times.
 *
 * <h2>Failures</h2>
 * A record that cannot be read goes to the dead letters with the reason; the queue goes on. An
 * environment that cannot be opened is moved aside as {@code data.lmdb.unreadable-<UTC time>} with
 * an ERROR, and a new one is made. Storage errors are {@link io.sensorreader.api.agent.SpoolException}s
 * that name the environment.
 *
 * <h2>Threads and processes</h2>
 * Every method is safe from any thread (they are synchronized; LMDB serialises writers anyway).
 * Several processes may use the environment at once (LMDB's lock file); only one drains, holding
 * {@code spool-drain.lock} in the data folder through {@code tryLockDrain()}.
 */
package io.sensorreader.lmdb;
