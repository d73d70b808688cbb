package io.sensorreader.http;

import java.time.Duration;

/**
 * Runs the in-process collector on its own, for trying the agent by hand and for benchmarks:
 * {@code java -cp ... io.sensorreader.http.TestCollectorMain [port]}. Prints what it stored every
 * few seconds; stops on Ctrl-C.
 */
public final class TestCollectorMain {

    private TestCollectorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        try (TestCollector collector = TestCollector.start(java.time.Clock.systemUTC(), port)) {
            System.out.println("test collector on " + collector.url());
            System.out.flush();
            int last = -1;
            while (true) {
                Thread.sleep(Duration.ofSeconds(2));
                int seen = collector.requests().size();
                if (seen != last) {
                    System.out.println("requests " + seen + ", registrations " + collector.registrations() + ", metrics "
                            + collector.metrics().size() + ", statuses " + collector.statuses().size());
                    System.out.flush();
                    last = seen;
                }
            }
        }
    }
}
