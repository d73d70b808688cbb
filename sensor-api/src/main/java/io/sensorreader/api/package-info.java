/**
 * The service-provider interface of sensor-reader: what a sensor, an exporter, a spool and an
 * updater are, and the values that pass between them.
 *
 * <h2>Discovery</h2>
 * The agent finds every factory in this package with {@link java.util.ServiceLoader}, from its
 * class path and from each jar in the {@code plugins/} folder. A plugin jar lists its factories in
 * {@code META-INF/services/io.sensorreader.api.SensorFactory} (or {@code ExporterFactory},
 * {@code SpoolFactory}, {@code UpdaterFactory}), one class name a line. Factories need a public
 * no-argument constructor and must be cheap to construct. A plugin jar sees only this package and
 * {@code org.slf4j} from the agent; everything else it needs it carries itself.
 *
 * <h2>Threads</h2>
 * Factories run at start-up on the main thread. {@link io.sensorreader.api.Sensor#read()} runs on
 * the sampling thread, one sensor after the other, and must return quickly (well under the
 * sampling interval). {@link io.sensorreader.api.Exporter#deliver(Batch)} runs on the delivery
 * threads, never on the sampling thread, possibly on several threads at once.
 *
 * <h2>Failures</h2>
 * A bad setting is a {@link io.sensorreader.api.ConfigException} whose message names where, the
 * key, the value and what was expected; start-up collects them all and exits 78. A sensor that
 * throws while reading loses that one reading. An exporter never throws for an answer of the
 * collector: it returns a {@link io.sensorreader.api.Delivery}, a value.
 *
 * <h2>Wire format</h2>
 * {@link io.sensorreader.api.Batch#toJson()} is the exact request body the collector receives
 * (see the collector contract); every exporter and spool uses it, so the bytes are defined once.
 */
package io.sensorreader.api;
