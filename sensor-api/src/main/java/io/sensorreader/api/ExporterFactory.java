package io.sensorreader.api;

/**
 * Makes the exporter named in {@code SENSOR_READER_EXPORTERS} (e.g. {@code http}, {@code log}).
 * Found with ServiceLoader; needs a public no-argument constructor.
 */
public interface ExporterFactory {

    /** The name used in settings; unique among plugins. */
    String name();

    /**
     * Builds the exporter at start-up.
     *
     * @throws ConfigException when a setting it needs is wrong (named as the operator wrote it)
     */
    Exporter create(ExporterContext context);

    /**
     * The agent settings this exporter reads from {@link ExporterContext#settings()}, without the
     * {@code SENSOR_READER_} prefix (e.g. {@code "ACME_MQTT_BROKER"}). Asked once at start-up, on the
     * main thread; the agent warns about any {@code SENSOR_READER_*} variable that nothing declares.
     */
    default java.util.Set<String> settingKeys() {
        return java.util.Set.of();
    }
}
