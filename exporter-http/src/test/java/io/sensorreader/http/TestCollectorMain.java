package io.sensorreader.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the in-process collector on its own, for trying the agent by hand and for benchmarks:
 * {@code java -cp ... io.sensorreader.http.TestCollectorMain [--log-arrivals] [port]}. Prints what it
 * stored every few seconds; stops on Ctrl-C.
 *
 * <p>With {@code --log-arrivals} it also prints {@code /metrics 201 #<n> at <epoch ms>} for each
 * {@code POST /metrics} answered 201 (polled every 2 ms, so within a few milliseconds), for measuring
 * the agent's time from start to first delivery.
 */
public final class TestCollectorMain {

    private TestCollectorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean logArrivals = rest.remove("--log-arrivals");
        int port = rest.isEmpty() ? 0 : Integer.parseInt(rest.get(0));
        try (TestCollector collector = TestCollector.start(java.time.Clock.systemUTC(), port)) {
            System.out.println("test collector on " + collector.url());
            System.out.flush();
            int last = -1;
            int metricsSeen = 0;
            long nextCounts = 0;
            while (true) {
                if (logArrivals) {
                    long arrived = collector.requests("/metrics").stream().filter(r -> r.answered() == 201).count();
                    long now = System.currentTimeMillis();
                    while (metricsSeen < arrived) {
                        metricsSeen++;
                        System.out.println("/metrics 201 #" + metricsSeen + " at " + now);
                        System.out.flush();
                    }
                    if (now < nextCounts) {
                        Thread.sleep(2);
                        continue;
                    }
                    nextCounts = now + 2_000;
                }
                int seen = collector.requests().size();
                if (seen != last) {
                    System.out.println("requests " + seen + ", registrations " + collector.registrations() + ", metrics "
                            + collector.metrics().size() + ", statuses " + collector.statuses().size());
                    System.out.flush();
                    last = seen;
                }
                if (!logArrivals) {
                    Thread.sleep(Duration.ofSeconds(2));
                }
            }
        }
    }
}
