package io.sensorreader.api.agent;

/**
 * What a check found.
 *
 * @param running the running version (a commit or a tag)
 * @param available the newest version offered
 * @param updateAvailable whether {@code available} should replace {@code running}
 */
public record UpdateCheck(String running, String available, boolean updateAvailable) {
}
