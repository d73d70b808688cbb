/**
 * The agent's own seams: the durable spool ({@link io.sensorreader.api.agent.SpoolFactory}), the
 * self-update strategies ({@link io.sensorreader.api.agent.UpdaterFactory}), the board behind
 * {@link io.sensorreader.api.SensorContext#board()} ({@link io.sensorreader.api.agent.BoardFactory}),
 * the wire format ({@link io.sensorreader.api.agent.WireFormat}) and the agent's implementation of
 * {@link io.sensorreader.api.PluginConfig}.
 *
 * <p><b>Not third-party API.</b> These types connect the agent's own modules (exporter-lmdb,
 * updater-github, sensor-gpio) to its core; they change with the agent, in any release, without
 * notice. A plugin jar dropped into {@code plugins/} should use only {@link io.sensorreader.api}.
 * The agent finds the factories here with {@link java.util.ServiceLoader} on its own class path
 * ({@code META-INF/services/io.sensorreader.api.agent.SpoolFactory}, and so on).
 */
package io.sensorreader.api.agent;
