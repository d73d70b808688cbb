/**
 * The plugin interface of sensor-reader: what third parties build against to add a sensor type or
 * an exporter, and the values that pass between them and the agent.
 *
 * <h2>Discovery</h2>
 * The agent finds {@link io.sensorreader.api.SensorFactory} and
 * {@link io.sensorreader.api.ExporterFactory} implementations with {@link java.util.ServiceLoader},
 * from its class path and from each jar in the {@code plugins/} folder. A plugin jar lists its
 * factories in {@code META-INF/services/io.sensorreader.api.SensorFactory} (or
 * {@code ...ExporterFactory}), one class name a line. Factories need a public no-argument
 * constructor and must be cheap to construct. A plugin jar sees only this package and
 * {@code org.slf4j} from the agent; everything else it needs it carries itself. Every call into a
 * plugin's object (factory, sensor, exporter, their {@code close}) runs with the plugin's class
 * loader as the thread's context class loader.
 *
 * <h2>Threads</h2>
 * Factories run at start-up on the main thread. {@link io.sensorreader.api.Sensor#read()} runs on
 * a sampling thread under a deadline (a read that overruns it is abandoned for that cycle; the other
 * sensors keep their schedule). {@link io.sensorreader.api.Exporter#deliver(Batch)} runs on the
 * agent's delivery threads, never on the sampling thread.
 *
 * <h2>Failures</h2>
 * A bad setting is a {@link io.sensorreader.api.ConfigException} whose message names where, the
 * key, the value and what was expected; start-up collects them all and exits 78. A sensor that
 * throws anything while reading, {@link java.lang.Error}s included, loses that one reading. An
 * exporter never throws for an answer of its destination: it returns a
 * {@link io.sensorreader.api.Delivery}, a value.
 *
 * <h2>The agent's own seams</h2>
 * The spool, the updaters, the board implementation and the wire format live in
 * {@link io.sensorreader.api.agent}: they are not for third parties and change with the agent.
 */
package io.sensorreader.api;
