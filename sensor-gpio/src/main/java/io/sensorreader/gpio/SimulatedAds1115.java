package io.sensorreader.gpio;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * An ADS1115 in plain Java, for simulated mode. It keeps registers as Pi4J's mock I2C does, a FIFO
 * per register and one for raw transfers: what is written is what the next read returns, and a read
 * of an empty FIFO transfers nothing. A config write that starts a conversion queues what the real
 * chip would show: the config register once busy, then idle, and the conversion register with the
 * input's voltage (from the {@link Simulation}) coded for the requested gain. A driver that sends
 * the wrong input or gain gets the wrong number back. {@link Pi4jLines.MockAds1115} is the same chip
 * on Pi4J's mock I2C.
 */
final class SimulatedAds1115 implements I2cHandle {

    /** As many register FIFOs as Pi4J's mock keeps. */
    private static final int REGISTERS = 512;

    private final Simulation simulation;
    private final int bus;
    private final int address;
    private final Runnable onClose;
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Byte>[] registers = new ArrayDeque[REGISTERS];
    private final ArrayDeque<Byte> raw = new ArrayDeque<>();
    private int lastConfig = -1;

    SimulatedAds1115(Simulation simulation, int bus, int address, Runnable onClose) {
        this.simulation = simulation;
        this.bus = bus;
        this.address = address;
        this.onClose = onClose;
    }

    /**
     * The conversion code the chip at {@code bus}/{@code address} shows for a config word that
     * starts a conversion.
     *
     * @throws IllegalStateException when the simulated chip does not answer
     */
    static int conversion(Simulation simulation, int bus, int address, int word) {
        int mux = word >> 12 & 0b111;
        Gain gain = Gain.ofBits(word >> 9 & 0b111);
        // Inputs 000-011 are differential pairs, which no sensor here uses: they read 0 V.
        double volts = mux >= 0b100 ? simulation.volts(bus, address, mux - 0b100) : 0.0;
        long code = Math.round(volts * 32768 / gain.fullScale());
        return (int) Math.max(-32768, Math.min(32767, code));
    }

    @Override
    public synchronized int writeRegister(int register, byte[] data) {
        if (register != Ads1115.CONFIG_REGISTER || data.length != 2) {
            return queue(register, data);
        }
        int word = (data[0] & 0xFF) << 8 | data[1] & 0xFF;
        if ((word & Ads1115.OS) == 0) {
            lastConfig = word;
            return queue(register, data);
        }
        int code = conversion(simulation, bus, address, word);
        lastConfig = word;
        queueWord(Ads1115.CONFIG_REGISTER, word & ~Ads1115.OS);
        queueWord(Ads1115.CONFIG_REGISTER, word | Ads1115.OS);
        queueWord(Ads1115.CONVERSION_REGISTER, code);
        return data.length;
    }

    @Override
    public synchronized int readRegister(int register, byte[] into) {
        ArrayDeque<Byte> fifo = registers[register];
        return fifo == null ? -1 : drain(fifo, into);
    }

    @Override
    public synchronized int write(byte[] data) {
        for (byte b : data) {
            raw.add(b);
        }
        return data.length;
    }

    @Override
    public synchronized int read(byte[] into) {
        return drain(raw, into);
    }

    /** The last config word written, or -1; for tests. */
    synchronized int lastConfig() {
        return lastConfig;
    }

    private int queue(int register, byte[] data) {
        Objects.checkIndex(register, REGISTERS);
        if (registers[register] == null) {
            registers[register] = new ArrayDeque<>();
        }
        for (byte b : data) {
            registers[register].add(b);
        }
        return data.length;
    }

    private void queueWord(int register, int word) {
        queue(register, new byte[] {(byte) (word >> 8), (byte) word});
    }

    private static int drain(ArrayDeque<Byte> fifo, byte[] into) {
        if (fifo.isEmpty()) {
            return -1;
        }
        int read = 0;
        while (read < into.length && !fifo.isEmpty()) {
            into[read++] = fifo.pop();
        }
        return read;
    }

    @Override
    public void close() {
        onClose.run();
    }
}
