package io.sensorreader.api.agent;

import java.util.List;

/**
 * What a check found.
 *
 * @param running the running version (a commit or a tag)
 * @param available the newest version offered
 * @param updateAvailable whether {@code available} should replace {@code running}
 * @param notes why an offered version is not taken, or what else an operator should know
 *              (a version marked bad and why, a staged rollout, a pin, a trial), one sentence each
 */
public record UpdateCheck(String running, String available, boolean updateAvailable, List<String> notes) {

    public UpdateCheck {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** Without notes. */
    public UpdateCheck(String running, String available, boolean updateAvailable) {
        this(running, available, updateAvailable, List.of());
    }
}
