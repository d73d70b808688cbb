package io.sensorreader.core;

import java.time.Instant;

/** Agent states for tests. */
final class States {

    static final Instant START = Instant.parse("2025-03-01T12:00:00Z");

    private States() {
    }

    /** A healthy agent 10 minutes in, cycling every 5 s, the last cycle and delivery at START + 10 min. */
    static AgentState running(long pid) {
        Instant last = START.plusSeconds(600);
        return new AgentState(pid, "0.1.0", START, last, last, null, 0, 0, 0, 0,
                1200, 240, 0, 0, 0, "1a2b3c4d", "https://collector.example:8443", 5);
    }

    static AgentState withSpool(AgentState s, long batches, Instant lastDelivery, String failure) {
        return new AgentState(s.pid(), s.version(), s.startedAt(), s.lastCycleAt(), lastDelivery, failure,
                batches, batches * 300, s.deadLetters(), s.evicted(), s.readingsDelivered(), s.batchesDelivered(),
                s.batchesFailed(), s.batchesSpooled() + batches, s.batchesDropped(), s.tokenFingerprint(),
                s.collector(), s.intervalSeconds());
    }
}
