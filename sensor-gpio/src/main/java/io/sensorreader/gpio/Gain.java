package io.sensorreader.gpio;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The ADS1115's programmable gain amplifier, named by its full-scale voltage. */
enum Gain {
    FS_6_144(6.144, 0b000),
    FS_4_096(4.096, 0b001),
    FS_2_048(2.048, 0b010),
    FS_1_024(1.024, 0b011),
    FS_0_512(0.512, 0b100),
    FS_0_256(0.256, 0b101);

    private final double fullScale;
    private final int bits;

    Gain(double fullScale, int bits) {
        this.fullScale = fullScale;
        this.bits = bits;
    }

    /** Volts at code 32767 (the code is signed, so 32768 counts span the full scale). */
    double fullScale() {
        return fullScale;
    }

    /** The PGA field of the config register (bits 11:9). */
    int bits() {
        return bits;
    }

    /** The gain whose full scale is {@code volts}, to within a millivolt. */
    static Optional<Gain> ofVolts(double volts) {
        return Arrays.stream(values()).filter(g -> Math.abs(g.fullScale - volts) < 0.0005).findFirst();
    }

    /** The PGA field as the chip decodes it; 110 and 111 also mean 0.256 V. */
    static Gain ofBits(int bits) {
        return Arrays.stream(values()).filter(g -> g.bits == bits).findFirst().orElse(FS_0_256);
    }

    /** For messages: {@code 6.144, 4.096, 2.048, 1.024, 0.512 or 0.256}. */
    static String choices() {
        String all = Arrays.stream(values()).map(g -> String.valueOf(g.fullScale)).collect(Collectors.joining(", "));
        int last = all.lastIndexOf(", ");
        return all.substring(0, last) + " or " + all.substring(last + 2);
    }
}
