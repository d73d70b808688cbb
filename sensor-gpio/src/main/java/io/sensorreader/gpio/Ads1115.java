package io.sensorreader.gpio;

import io.sensorreader.api.SensorReadException;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One ADS1115 analog-to-digital converter on an I2C bus, shared by the pressure sensors on its
 * four inputs. Each conversion is single-shot: write the config register (start bit, input, gain,
 * single-shot mode), poll the config register until the chip reports it idle, read the conversion
 * register.
 *
 * <p>A failed transfer closes the handle; the next conversion opens it again, so a chip that was
 * unplugged or browned out is used again without a restart. Conversions are serialised.
 */
final class Ads1115 implements AutoCloseable {

    static final int CONVERSION_REGISTER = 0;
    static final int CONFIG_REGISTER = 1;

    /** Config bit 15: write 1 to start a conversion; reads 0 while converting, 1 when idle. */
    static final int OS = 0x8000;
    /** Bit 8: single-shot mode. */
    static final int SINGLE_SHOT = 0x0100;
    /** Bits 7:5 = 100: 128 samples per second, a conversion takes about 8 ms. */
    static final int RATE_128_SPS = 0b100 << 5;
    /** Bits 1:0 = 11: comparator off, ALERT/RDY high-impedance. */
    static final int COMPARATOR_OFF = 0b11;

    private static final long READY_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    private final int bus;
    private final int address;
    private final Supplier<I2cHandle> opener;
    private I2cHandle device;

    /** @param opener opens the handle; throws a RuntimeException when it cannot */
    Ads1115(int bus, int address, Supplier<I2cHandle> opener) {
        this.bus = bus;
        this.address = address;
        this.opener = opener;
    }

    /** The config word that starts a single-shot conversion of one input against ground. */
    static int configWord(int channel, Gain gain) {
        int mux = 0b100 | channel; // 100..111: AIN0..AIN3 against GND
        return OS | mux << 12 | gain.bits() << 9 | SINGLE_SHOT | RATE_128_SPS | COMPARATOR_OFF;
    }

    /** Opens the handle now, so that a missing bus or permission shows at start-up. */
    synchronized void open() {
        if (device == null) {
            device = opener.get();
        }
    }

    /**
     * Converts one input.
     *
     * @param channel 0-3
     * @return volts at the input pin
     * @throws SensorReadException when the chip does not answer, or never finishes
     */
    synchronized double volts(int channel, Gain gain) throws SensorReadException {
        I2cHandle i2c;
        try {
            open();
            i2c = device;
        } catch (RuntimeException e) {
            throw new SensorReadException(name() + " cannot be opened: " + reason(e), e);
        }
        try {
            writeWord(i2c, CONFIG_REGISTER, configWord(channel, gain));
            long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
            while ((readWord(i2c, CONFIG_REGISTER) & OS) == 0) {
                if (System.nanoTime() - deadline > 0) {
                    forget();
                    throw new SensorReadException(name() + " did not finish a conversion within "
                            + TimeUnit.NANOSECONDS.toMillis(READY_TIMEOUT_NANOS) + " ms");
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
            short code = (short) readWord(i2c, CONVERSION_REGISTER);
            return code * gain.fullScale() / 32768.0;
        } catch (RuntimeException e) {
            forget();
            throw new SensorReadException(name() + " did not answer (" + reason(e)
                    + "); check its wiring, power and address (i2cdetect -y " + bus + ")", e);
        }
    }

    private void writeWord(I2cHandle i2c, int register, int word) {
        byte[] bytes = {(byte) (word >> 8), (byte) word}; // the chip is big-endian
        i2c.writeRegister(register, bytes);
    }

    private int readWord(I2cHandle i2c, int register) {
        byte[] bytes = new byte[2];
        int read = i2c.readRegister(register, bytes);
        if (read != 2) {
            throw new IllegalStateException("read " + Math.max(read, 0) + " of 2 bytes from register " + register);
        }
        return (bytes[0] & 0xFF) << 8 | bytes[1] & 0xFF;
    }

    private void forget() {
        if (device != null) {
            device.close();
            device = null;
        }
    }

    /** {@code ADS1115 0x48 on I2C bus 1}. */
    String name() {
        return "ADS1115 " + hex(address) + " on I2C bus " + bus;
    }

    static String hex(int address) {
        return String.format("0x%02X", address);
    }

    private static String reason(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public synchronized void close() {
        forget();
    }
}
