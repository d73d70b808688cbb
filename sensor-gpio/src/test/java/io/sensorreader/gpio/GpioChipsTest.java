package io.sensorreader.gpio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The chip choice on fake /sys and /dev trees laid out as each kernel does. */
class GpioChipsTest {

    @TempDir
    Path root;

    private Path sys() {
        return root.resolve("sys");
    }

    private Path dev() {
        return root.resolve("dev");
    }

    /** A chip as the kernel lists it: /sys/class/gpio/gpiochip<base>/{label,device} and /dev/gpiochipN. */
    private void chip(int base, int number, String label) throws IOException {
        Path entry = Files.createDirectories(sys().resolve("class/gpio/gpiochip" + base));
        Files.writeString(entry.resolve("label"), label + "\n");
        Path device = Files.createDirectories(sys().resolve("devices/platform/soc/gpiochip" + number));
        Files.createSymbolicLink(entry.resolve("device"), entry.relativize(device));
        Files.createDirectories(dev());
        Files.createFile(dev().resolve("gpiochip" + number));
    }

    @Test
    void aPi5OnAnEarlyBookwormKernelUsesGpiochip4() throws IOException {
        chip(512, 0, "gpio-brcmstb@107d508500");
        chip(544, 1, "gpio-brcmstb@107d508520");
        chip(548, 2, "gpio-brcmstb@107d517c00");
        chip(580, 3, "gpio-brcmstb@107d517c20");
        chip(571, 4, "pinctrl-rp1");

        assertThat(GpioChips.choose(null, sys(), dev())).contains("gpiochip4");
    }

    @Test
    void aPi5OnALaterKernelUsesGpiochip0() throws IOException {
        chip(569, 0, "pinctrl-rp1");
        chip(623, 10, "gpio-brcmstb@107d508500");
        chip(655, 11, "gpio-brcmstb@107d508520");
        chip(659, 12, "gpio-brcmstb@107d517c00");
        chip(691, 13, "gpio-brcmstb@107d517c20");

        assertThat(GpioChips.choose(null, sys(), dev())).contains("gpiochip0");
    }

    @Test
    void aPi4UsesItsBcm2711Controller() throws IOException {
        chip(512, 0, "pinctrl-bcm2711");
        chip(570, 1, "raspberrypi-exp-gpio");

        assertThat(GpioChips.choose(null, sys(), dev())).contains("gpiochip0");
    }

    @Test
    void settingsOverrideWhatTheKernelShows() throws IOException {
        chip(571, 4, "pinctrl-rp1");

        assertThat(GpioChips.choose("gpiochip0", sys(), dev())).contains("gpiochip0");
        assertThat(GpioChips.choose(" gpiochip2 ", sys(), dev())).contains("gpiochip2");
    }

    @Test
    void aChipWithoutItsCharacterDeviceIsNotChosen() throws IOException {
        chip(571, 4, "pinctrl-rp1");
        Files.delete(dev().resolve("gpiochip4"));
        chip(512, 0, "pinctrl-bcm2835");

        assertThat(GpioChips.choose(null, sys(), dev())).contains("gpiochip0");
    }

    @Test
    void noKnownControllerLeavesTheChoiceToPi4J() throws IOException {
        assertThat(GpioChips.choose(null, sys(), dev())).isEqualTo(Optional.empty());
        chip(0, 0, "gpio-mockup-A");
        assertThat(GpioChips.choose(null, sys(), dev())).isEqualTo(Optional.empty());
        assertThat(GpioChips.list(sys(), dev())).containsExactly(new GpioChips.Chip("gpiochip0", "gpio-mockup-A"));
    }
}
