package io.sensorreader.gpio;

/**
 * One device on an I2C bus as the sensors use it: a Pi4J handle on a Pi ({@link Pi4jLines}), a
 * register model in simulated mode ({@link SimulatedAds1115}). The calls are Pi4J's: they return
 * the bytes transferred (-1 or fewer than asked for when there was nothing to read) and throw a
 * RuntimeException when the transfer fails.
 */
interface I2cHandle {

    int write(byte[] data);

    int read(byte[] into);

    int writeRegister(int register, byte[] data);

    int readRegister(int register, byte[] into);

    /** Closes the handle; never throws. */
    void close();
}
