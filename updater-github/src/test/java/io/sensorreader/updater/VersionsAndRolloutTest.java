package io.sensorreader.updater;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class VersionsAndRolloutTest {

    @Test
    void tagsCompareAsVersions() {
        assertThat(Versions.compare("v1.10.0", "v1.9.2")).isPositive();
        assertThat(Versions.compare("1.0.0", "v1.0.0")).isZero();
        assertThat(Versions.compare("v1.0.0-rc1", "v1.0.0")).isNegative();
        assertThat(Versions.compare("v1.0.0-rc10", "v1.0.0-rc9")).isPositive();
        assertThat(Versions.compare("v2", "v1.99.99")).isPositive();
        assertThat(Versions.compare("0.1.0-SNAPSHOT", "v0.1.0")).isNegative();
    }

    @Test
    void rolloutLineIsReadFromTheBody() {
        assertThat(Rollout.percent("Notes\n\nrollout: 25%\n")).hasValue(25);
        assertThat(Rollout.percent("- Rollout: 100 %")).hasValue(100);
        assertThat(Rollout.percent("rollout: 250%")).hasValue(100);
        assertThat(Rollout.percent("we will roll out: soon")).isEmpty();
        assertThat(Rollout.percent(null)).isEmpty();
    }

    /** The hash is SHA-256 of "deviceId\0tag": stable across runs and machines, so a device's answer never flips. */
    @Test
    void bucketIsAStableHashOfDeviceAndTag() {
        assertThat(Rollout.bucket("device-001", "v1.2.0")).isEqualTo(Rollout.bucket("device-001", "v1.2.0"));
        assertThat(Rollout.bucket("test-device-001", "v1.2.0")).isEqualTo(GOLDEN);
        long under = IntStream.range(0, 2000).filter(i -> Rollout.includes("device-" + i, "v1.2.0", 25)).count();
        assertThat(under).isBetween(400L, 600L);
        // Widening never drops a device.
        IntStream.range(0, 200).forEach(i -> {
            if (Rollout.includes("device-" + i, "v1.2.0", 10)) {
                assertThat(Rollout.includes("device-" + i, "v1.2.0", 50)).isTrue();
            }
        });
    }

    /** SHA-256("test-device-001\\u0000v1.2.0") starts a8d74b7f; 0xa8d74b7f % 100 = 55 (printf | sha256sum). */
    static final int GOLDEN = 55;
}
