/**
 * Sensors on a Raspberry Pi, through Pi4J: float switches and S0 energy meters on GPIO inputs,
 * 0.5-4.5 V pressure transducers through an ADS1115 on I2C.
 *
 * <h2>Hardware or simulation</h2>
 * With {@code SENSOR_READER_LIVE_SENSORS_ENABLED=true} the sensors use the gpiod digital inputs
 * and the linuxfs I2C bus of a Raspberry Pi ({@code SENSOR_READER_DEVICE_TYPE} {@code raspberry_pi_4}
 * or {@code raspberry_pi_5}). Otherwise they run on plain-Java simulated lines and signal generators
 * drive them (a float that changes level every few minutes, a meter at a few hundred watts, an
 * ADS1115 answering slowly varying voltages), so the same sensor file runs unchanged on a laptop;
 * no Pi4J class is loaded then. Only {@code Pi4jLines} names Pi4J types; its context is built
 * explicitly with exactly the providers in use (Pi4J's own discovery is off). The tests run the
 * sensors through {@code Pi4jLines} on Pi4J's mock platform, and the simulated lines beside it.
 * One board and one registry of used pins and ADS1115 inputs are shared by every sensor of a run
 * ({@code SensorContext.shared("io.sensorreader.gpio.board", ...)}) and closed by the agent after
 * the sensors.
 *
 * <h2>Threads</h2>
 * Factories run on the main thread at start-up. {@code read()} runs on the sampling thread.
 * Edge listeners run on Pi4J's event thread on a Pi (synchronously inside a simulated line's change
 * in simulation); what they share with {@code read()} is an atomic counter or guarded by the sensor.
 * Simulated signals are made inside {@code read()}, from the agent's clock: no thread of our own.
 *
 * <h2>Failures</h2>
 * A wrong key, a pin outside the board's table, a pin or an ADS1115 input used twice, an unknown
 * board: a {@link io.sensorreader.api.ConfigException} naming the file, the sensor and the value
 * (an unknown board is reported once, by the first sensor). Hardware that cannot be opened at
 * start-up (no {@code /dev/i2c-1}, no permission, a busy line) is a
 * {@link io.sensorreader.api.SensorReadException} whose message says the fix. A transfer that fails
 * while reading (a NACK) fails that reading only; the I2C handle is reopened on the next read, so a
 * chip that comes back is used again without a restart.
 */
package io.sensorreader.gpio;
