package io.sensorreader.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import io.sensorreader.core.delivery.DeliveryStats;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent's report to the stable launcher (docs/updates.md): the {@code health} file in
 * the release root ({@code SENSOR_READER_RELEASE_ROOT}, which the launcher sets), written by every
 * {@code run} whatever the update settings, so that a release applied by hand is judged the same.
 * It says, in {@code key=value} lines: which version ({@code tag}), since when ({@code started}),
 * when it became healthy ({@code healthy_at}: after {@code UPDATE_HEALTH_CYCLES} sampling cycles,
 * default 3, and one delivered batch; kept from then on), and whether it delivers now
 * ({@code delivering=yes|no|unknown}, with the failure's kind as {@code cause}). The launcher,
 * not this class, decides what that means. Written on the state-writer thread, only when something
 * in it changes; a failure to write is logged once and never stops the agent.
 */
final class ReleaseHealth {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseHealth.class);

    private final Path file;
    private final String tag;
    private final int cyclesNeeded;
    private final Clock clock;
    private final Instant started;
    private long cycles;
    private Instant healthyAt;
    private String written;
    private boolean warned;

    ReleaseHealth(Path releaseRoot, String tag, int cyclesNeeded, Clock clock) {
        this.file = releaseRoot.resolve("health");
        this.tag = tag;
        this.cyclesNeeded = cyclesNeeded;
        this.clock = clock;
        this.started = clock.instant();
    }

    /**
     * The report, when the agent runs under the stable launcher (a release root is set).
     *
     * @param version the agent's version, the tag when the distribution is not in a versions/ folder
     */
    static Optional<ReleaseHealth> from(Settings settings, String version, Clock clock) {
        String root = settings.view().getString("RELEASE_ROOT", null);
        if (root == null || root.isBlank()) {
            return Optional.empty();
        }
        try {
            // Before the first update too: the known-good version's report is what excuses a new one.
            Files.createDirectories(Path.of(root));
        } catch (IOException | RuntimeException e) {
            LOG.warn("health: cannot create the release root {} ({}); no health report for the launcher", root, e.getMessage());
            return Optional.empty();
        }
        int cycles = settings.view().getInt("UPDATE_HEALTH_CYCLES", 3, 1, 1000, "a number of sampling cycles from 1 to 1000");
        return Optional.of(new ReleaseHealth(Path.of(root), tag(Updates.installDir(settings), version), cycles, clock));
    }

    /** The running version as the launcher names it: the folder under versions/, else the version. */
    static String tag(Path installDir, String version) {
        try {
            Path real = installDir.toRealPath();
            if (real.getParent() != null && real.getParent().getFileName() != null
                    && real.getParent().getFileName().toString().equals("versions")) {
                return real.getFileName().toString();
            }
        } catch (IOException e) {
            // not there: the version
        }
        return version;
    }

    /** After each sampling cycle. */
    void cycle(DeliveryStats stats) {
        cycles++;
        if (cycles < cyclesNeeded) {
            return;
        }
        if (healthyAt == null && stats.deliveredBatches() > 0) {
            healthyAt = clock.instant();
            LOG.info("health: {} sampling cycles and a delivery: {} reports healthy", cycles, tag);
        }
        Optional<String> failing = stats.failingWith();
        String delivering = failing.isPresent() ? "no" : stats.deliveredBatches() > 0 ? "yes" : "unknown";
        String text = "tag=" + tag + "\nstarted=" + started.getEpochSecond()
                + "\nhealthy_at=" + (healthyAt == null ? "" : healthyAt.getEpochSecond())
                + "\ndelivering=" + delivering + "\ncause=" + failing.orElse("") + "\n";
        if (text.equals(written)) {
            return;
        }
        try {
            Path temporary = file.resolveSibling("health.tmp");
            Files.writeString(temporary, text + "at=" + clock.instant().getEpochSecond() + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            written = text;
        } catch (IOException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warn("health: cannot write {} ({}); the launcher cannot confirm this version and will roll it back"
                        + " if it is on trial", file, e.getMessage());
            }
        }
    }
}
