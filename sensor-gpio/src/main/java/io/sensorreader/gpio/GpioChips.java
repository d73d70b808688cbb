package io.sensorreader.gpio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which gpiod chip carries the 40-pin header's GPIOs, from what the kernel exposes rather than a
 * fixed number: on a Raspberry Pi 5 the header is on the RP1, labelled {@code pinctrl-rp1}, which
 * is {@code gpiochip4} on early Bookworm kernels and {@code gpiochip0} on later ones; on a Pi 4 it
 * is {@code pinctrl-bcm2711}, on earlier boards {@code pinctrl-bcm2835}.
 *
 * <p>Each chip is listed in {@code <sys>/class/gpio/gpiochip<base>/} with its {@code label} and a
 * {@code device} link whose name is the character device's ({@code gpiochipN}), which must exist as
 * {@code <dev>/gpiochipN}. The roots are parameters so that tests can lay out a fake tree.
 */
final class GpioChips {

    /** The header's controllers, the one preferred first. */
    static final List<String> HEADER_LABELS = List.of("pinctrl-rp1", "pinctrl-bcm2711", "pinctrl-bcm2835");

    private GpioChips() {
    }

    /** One chip the kernel lists. */
    record Chip(String device, String label) {
    }

    /**
     * The chip name to give gpiod: {@code override} (SENSOR_READER_GPIO_CHIP) when set, else the
     * chip with the first of {@link #HEADER_LABELS} found, else empty (Pi4J's own choice).
     */
    static Optional<String> choose(String override, Path sys, Path dev) {
        if (override != null && !override.isBlank()) {
            return Optional.of(override.strip());
        }
        List<Chip> chips = list(sys, dev);
        for (String label : HEADER_LABELS) {
            for (Chip chip : chips) {
                if (chip.label().equals(label)) {
                    return Optional.of(chip.device());
                }
            }
        }
        return Optional.empty();
    }

    /** The chips in {@code <sys>/class/gpio} that have a character device in {@code dev}, sorted by device. */
    static List<Chip> list(Path sys, Path dev) {
        List<Chip> chips = new ArrayList<>();
        Path classGpio = sys.resolve("class/gpio");
        if (!Files.isDirectory(classGpio)) {
            return chips;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(classGpio, "gpiochip*")) {
            for (Path entry : entries) {
                Optional<Chip> chip = chip(entry, dev);
                chip.ifPresent(chips::add);
            }
        } catch (IOException | RuntimeException e) {
            return chips;
        }
        chips.sort((a, b) -> Integer.compare(number(a.device()), number(b.device())));
        return chips;
    }

    private static Optional<Chip> chip(Path entry, Path dev) {
        try {
            String label = Files.readString(entry.resolve("label"), StandardCharsets.UTF_8).strip();
            Path link = entry.resolve("device");
            if (!Files.isSymbolicLink(link)) {
                return Optional.empty();
            }
            Path target = Files.readSymbolicLink(link).getFileName();
            if (target == null || !target.toString().matches("gpiochip\\d+")) {
                return Optional.empty();
            }
            String device = target.toString();
            return Files.exists(dev.resolve(device)) ? Optional.of(new Chip(device, label)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static int number(String device) {
        return Integer.parseInt(device.substring("gpiochip".length()));
    }
}
