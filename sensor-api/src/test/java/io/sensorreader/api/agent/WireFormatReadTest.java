package io.sensorreader.api.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorreader.api.DeviceStatus;
import io.sensorreader.api.Reading;
import io.sensorreader.api.SensorBatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireFormatReadTest {

    @Test
    void readsBackWhatItWritesByteForByte() throws Exception {
        SensorBatch b = new SensorBatch(1764190000L, List.of(
                new Reading("t1", "FloatSensor", "Tank \u00e9 \"high\"", 1.5e-7, "cm", 1764190000L, Map.of("raw", 17L)),
                new Reading("t2", "PulseMeter", "Pump", 123456789012.5, null, 1764190000L, Map.of())));
        assertThat(WireFormat.write(WireFormat.readSensorBatch(WireFormat.write(b), 0))).isEqualTo(WireFormat.write(b));
        DeviceStatus s = new DeviceStatus(5, Map.of("cpu", 1.0, "version", "0.2"));
        assertThat(WireFormat.write(WireFormat.readDeviceStatus(WireFormat.write(s)))).isEqualTo(WireFormat.write(s));
    }

    @Test
    void toleratesThePythonAgentsFractionalTimestampsAndSpacing() throws Exception {
        SensorBatch b = WireFormat.readSensorBatch(
                "[{\"id\":\"t1\",\"description\":\"FloatSensor:Tank\",\"value\":1,\"timestamp\":1764190000.75}]", 0);
        assertThat(b.readings().get(0).timestamp()).isEqualTo(1764190000L);
        assertThat(b.readings().get(0).description()).isEqualTo("Tank");
    }

    @Test
    void damagedOrHostileTextGivesAReasonNeverACrashOrAHang() {
        assertThatThrownBy(() -> WireFormat.parse("[".repeat(100_000)))
                .isInstanceOf(WireFormat.MalformedException.class).hasMessage("not JSON: nested deeper than 64 at offset 65");
        assertThatThrownBy(() -> WireFormat.parse("\"abc")).hasMessage("not JSON: unterminated string at offset 4");
        assertThatThrownBy(() -> WireFormat.parse("\"\\x\"")).hasMessage("not JSON: bad escape '\\x' at offset 2");
        assertThatThrownBy(() -> WireFormat.parse("01")).hasMessage("not JSON: leading zero in a number at offset 2");
        assertThatThrownBy(() -> WireFormat.parse("NaN")).hasMessage("not JSON: NaN and Infinity are not JSON at offset 0");
        assertThatThrownBy(() -> WireFormat.parse("{} x")).hasMessage("not JSON: unexpected text after the value at offset 3");
        assertThatThrownBy(() -> WireFormat.readSensorBatch("[{\"id\": \"t\", \"description\": \"A: b\", "
                + "\"value\": \"high\", \"timestamp\": 1}]", 0)).hasMessage("reading 't' has no numeric value");
        assertThatThrownBy(() -> WireFormat.readDeviceStatus("[]"))
                .hasMessage("a device status must be a JSON object, was an array");
    }
}
