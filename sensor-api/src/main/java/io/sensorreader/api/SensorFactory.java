package io.sensorreader.api;

/**
 * Makes sensors of one type from their section of the sensor file. Found with ServiceLoader;
 * needs a public no-argument constructor and must be cheap to construct.
 */
public interface SensorFactory {

    /** The type as written in the sensor file, e.g. {@code "float"}; unique among plugins. */
    String name();

    /**
     * Builds one sensor, at start-up, on the main thread, never on the sampling thread.
     *
     * @param config this sensor's section; {@code config.sensorId()} is its id
     * @param context the agent's settings and resources shared between sensors
     * @throws ConfigException when the section is wrong; the message names the key (use
     *     {@link PluginConfig#invalid(String, String)})
     * @throws SensorReadException when the hardware cannot be opened (pin busy, no bus, no
     *     permission): the message should say the fix; the agent reports it and runs the others
     */
    Sensor create(PluginConfig config, SensorContext context) throws SensorReadException;

    /**
     * The sensors this factory offers when the device has no sensor file at all, so that the agent
     * does something useful anywhere. Most factories offer none.
     *
     * @param deviceId this device's id; default sensor ids should start with it
     * @return sections as they would appear in the sensor file (each with {@code id} and {@code type})
     */
    default java.util.List<java.util.Map<String, Object>> defaultSections(String deviceId) {
        return java.util.List.of();
    }

    /**
     * The agent settings this plugin reads from {@link SensorContext#settings()}, without the
     * {@code SENSOR_READER_} prefix (e.g. {@code "ACME_RAIN_BUS"}). Asked once at start-up, on the
     * main thread; the agent warns about any {@code SENSOR_READER_*} variable that nothing declares,
     * so declare yours. The keys of a sensor's own section need no declaration: the ones
     * {@link #create} reads are known, and any other key there is a configuration error.
     */
    default java.util.Set<String> settingKeys() {
        return java.util.Set.of();
    }
}
