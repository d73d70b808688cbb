package io.sensorreader.core;

import io.sensorreader.api.ManualClock;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sensorreader.api.agent.UpdateCheck;
import io.sensorreader.api.agent.UpdateException;
import io.sensorreader.api.agent.UpdateResult;
import io.sensorreader.api.agent.Updater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class UpdateScheduleTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2025-06-01T00:00:00Z"));
    private final AtomicInteger restarts = new AtomicInteger();
    private final FakeUpdater updater = new FakeUpdater();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(UpdateSchedule.class);

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    private UpdateSchedule schedule() {
        return new UpdateSchedule(updater, Duration.ofMinutes(30), clock, restarts::incrementAndGet);
    }

    @Test
    void upToDateRoundAppliesNothing() {
        updater.checks.add(new UpdateCheck("abc", "abc", false));

        assertThat(schedule().runOnce()).isEqualTo(UpdateSchedule.Round.UP_TO_DATE);
        assertThat(updater.applies).hasValue(0);
        assertThat(restarts).hasValue(0);
    }

    @Test
    void appliedUpdateRequestsOneRestartAndStops() {
        updater.checks.add(new UpdateCheck("abc", "def", true));
        updater.result = new UpdateResult(true, "abc", "def", true);
        UpdateSchedule schedule = schedule();

        assertThat(schedule.runOnce()).isEqualTo(UpdateSchedule.Round.APPLIED);
        assertThat(schedule.runOnce()).isEqualTo(UpdateSchedule.Round.STOPPED);
        assertThat(restarts).hasValue(1);
        assertThat(updater.progressSeen).containsExactly("fetching");
        assertThat(warnings()).isEmpty();
    }

    @Test
    void repeatedFailureIsWarnedOnceThenQuietUntilItChangesOrTimePasses() {
        UpdateSchedule schedule = schedule();
        updater.failure = new UpdateException("fetch", "network is unreachable; will try again next round");

        assertThat(schedule.runOnce()).isEqualTo(UpdateSchedule.Round.FAILED);
        schedule.runOnce();
        clock.advance(Duration.ofHours(1));
        schedule.runOnce();
        clock.advance(UpdateSchedule.QUIET_FOR);
        schedule.runOnce();
        updater.failure = new UpdateException("auth", "GET /repos/a/b/installation answered 401");
        schedule.runOnce();

        assertThat(warnings()).containsExactly(
                "update: failed, will try again in 30 min: fetch: network is unreachable; will try again next round",
                "update: failed, will try again in 30 min (2 more failure(s) since the last warning): fetch: network is "
                        + "unreachable; will try again next round",
                "update: failed, will try again in 30 min: auth: GET /repos/a/b/installation answered 401");
        assertThat(restarts).hasValue(0);
    }

    @Test
    void unexpectedExceptionDoesNotEscape() {
        updater.crash = new IllegalStateException("bug");

        assertThat(schedule().runOnce()).isEqualTo(UpdateSchedule.Round.FAILED);
        assertThat(warnings()).containsExactly("update: failed, will try again in 30 min: java.lang.IllegalStateException: bug");
    }

    @Test
    void startedScheduleRunsRoundsOnItsOwnDaemonThread() throws Exception {
        CountDownLatch twoRounds = new CountDownLatch(2);
        List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        Updater counting = new Updater() {
            @Override
            public UpdateCheck check() {
                threads.add(Thread.currentThread());
                twoRounds.countDown();
                return new UpdateCheck("abc", "abc", false);
            }

            @Override
            public UpdateResult apply(Progress progress) {
                throw new AssertionError("nothing to apply");
            }
        };
        try (UpdateSchedule schedule = new UpdateSchedule(counting, Duration.ofMillis(20), clock, restarts::incrementAndGet)) {
            schedule.start();
            assertThat(twoRounds.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(threads.getFirst().isDaemon()).isTrue();
        assertThat(threads.getFirst().getName()).isEqualTo("update-schedule");
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Answers what the test queued. */
    private static final class FakeUpdater implements Updater {
        final Deque<UpdateCheck> checks = new ArrayDeque<>();
        final AtomicInteger applies = new AtomicInteger();
        final List<String> progressSeen = new ArrayList<>();
        UpdateResult result;
        UpdateException failure;
        RuntimeException crash;

        @Override
        public UpdateCheck check() throws UpdateException {
            if (crash != null) {
                throw crash;
            }
            if (failure != null) {
                throw failure;
            }
            return checks.isEmpty() ? new UpdateCheck("abc", "abc", false) : checks.removeFirst();
        }

        @Override
        public UpdateResult apply(Progress progress) {
            applies.incrementAndGet();
            progress.step("fetching");
            progressSeen.add("fetching");
            return result;
        }
    }

}
