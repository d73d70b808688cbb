package io.sensorreader.core.delivery;

/**
 * The two facts about delivery the self-update needs (issue 13), readable from any thread.
 */
public interface DeliverySignals {

    /** Whether anything reached the collector since this process started. */
    boolean deliveredSinceStart();

    /**
     * Whether the collector cannot be reached right now: the last attempts got no answer (refused,
     * timed out) or an outage status (502, 503, 504, 408, 429), and nothing was delivered since.
     */
    boolean collectorUnreachable();
}
