/**
 * The agent: settings, plugin discovery, the sampling schedule, device health, the hand-off to
 * delivery, and shutdown. Depends on no project module but {@code sensor-api} (an enforcer rule
 * keeps it so); every sensor, exporter, spool and updater is found with
 * {@link java.util.ServiceLoader}.
 *
 * <h2>Start-up</h2>
 * {@link io.sensorreader.core.Settings} (flags over environment over {@code .env} over defaults),
 * then {@link io.sensorreader.core.Plugins} (class path, then each jar of the plugins folder in its
 * own class loader), then the sensors of the sensor file, then the exporters and the
 * {@link io.sensorreader.core.Outbox}. Configuration mistakes are collected and thrown together as
 * {@link io.sensorreader.core.ConfigProblems} (exit 78). A broken plugin jar, a factory that
 * throws, hardware that cannot be opened: reported, skipped, the agent goes on.
 *
 * <h2>Threads</h2>
 * One sampling thread (the caller of {@link io.sensorreader.core.Agent#run()}) reads the sensors on
 * a fixed-rate schedule and hands batches to the outbox, which delivers on its own threads. A
 * shutdown hook calls {@link io.sensorreader.core.Agent#stop()}; the main thread then closes
 * everything within about 2 s.
 *
 * <h2>Failures</h2>
 * After start-up nothing escapes the loop: a sensor that throws loses that reading; repeated
 * failures are logged once, then at most every ten minutes. At INFO the loop logs one summary line
 * a minute, not every reading.
 */
package io.sensorreader.core;
