/**
 * {@code sensor-reader migrate}: takes over a device from the Python agent. Finds that agent's
 * settings where it really had them (its systemd unit's {@code Environment=} and
 * {@code EnvironmentFile=} lines, the environment of the command, a {@code .env} in its folder),
 * keeps its device id (its default {@code test-device-001} when it set none) and its token, takes
 * its {@code sensor_config.yaml}, adopts its {@code data.lmdb} into the data folder so the leftovers
 * are delivered once, and merges the result into this agent's settings file without losing that
 * file's own lines.
 *
 * <p>Runs once, on the caller's thread; opens the spool only to count or merge it. Every problem is
 * found before anything is changed: a bad value, an ambiguous unit, a spool still held open by the
 * Python agent. A dry run finds and prints the same plan and changes nothing.
 */
package io.sensorreader.core.migrate;
