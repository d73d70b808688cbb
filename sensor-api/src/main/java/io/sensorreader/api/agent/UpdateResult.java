package io.sensorreader.api.agent;

/**
 * What an apply did.
 *
 * @param applied false when there was nothing to do
 * @param from the version before
 * @param to the version now in place
 * @param restartNeeded whether the agent must restart to run it
 */
public record UpdateResult(boolean applied, String from, String to, boolean restartNeeded) {
}
