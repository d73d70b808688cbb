package io.sensorreader.gpio;

import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProviderImpl;

/** Pi4J's mock I2C provider, making {@link SimulatedAds1115} chips instead of bare FIFOs. */
class SimulatedI2CProvider extends MockI2CProviderImpl {

    private final Simulation simulation;

    SimulatedI2CProvider(Simulation simulation) {
        this.simulation = simulation;
    }

    @Override
    public I2C create(I2CConfig config) {
        SimulatedAds1115 chip = new SimulatedAds1115(this, config, simulation);
        context.registry().add(chip);
        return chip;
    }
}
