package io.sensorreader.gpio;

import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.io.i2c.I2CProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2C;

/**
 * An ADS1115 on Pi4J's mock I2C. The mock keeps a FIFO per register: what is written is what the
 * next read returns. This chip answers a config write that starts a conversion by queueing what
 * the real chip would show: the config register once busy, then idle, and the conversion
 * register with the input's voltage (from the {@link Simulation}) coded for the requested gain.
 * A driver that sends the wrong input or gain gets the wrong number back.
 */
class SimulatedAds1115 extends MockI2C {

    private final Simulation simulation;
    private final int bus;
    private final int address;
    private int lastConfig = -1;

    SimulatedAds1115(I2CProvider provider, I2CConfig config, Simulation simulation) {
        super(provider, config);
        this.simulation = simulation;
        this.bus = config.bus();
        this.address = config.device();
    }

    @Override
    public int writeRegister(int register, byte[] data, int offset, int length) {
        if (register != Ads1115.CONFIG_REGISTER || length != 2) {
            return super.writeRegister(register, data, offset, length);
        }
        int word = (data[offset] & 0xFF) << 8 | data[offset + 1] & 0xFF;
        if ((word & Ads1115.OS) == 0) {
            lastConfig = word;
            return super.writeRegister(register, data, offset, length);
        }
        int mux = word >> 12 & 0b111;
        Gain gain = Gain.ofBits(word >> 9 & 0b111);
        // Inputs 000-011 are differential pairs, which no sensor here uses: they read 0 V.
        double volts = mux >= 0b100 ? simulation.volts(bus, address, mux - 0b100) : 0.0;
        long code = Math.round(volts * 32768 / gain.fullScale());
        code = Math.max(-32768, Math.min(32767, code));
        lastConfig = word;
        queue(Ads1115.CONFIG_REGISTER, word & ~Ads1115.OS);
        queue(Ads1115.CONFIG_REGISTER, word | Ads1115.OS);
        queue(Ads1115.CONVERSION_REGISTER, (int) code);
        return length;
    }

    /** The last config word written, or -1; for tests. */
    int lastConfig() {
        return lastConfig;
    }

    private void queue(int register, int word) {
        super.writeRegister(register, new byte[] {(byte) (word >> 8), (byte) word}, 0, 2);
    }
}
