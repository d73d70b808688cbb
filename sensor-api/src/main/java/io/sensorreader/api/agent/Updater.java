package io.sensorreader.api.agent;

/**
 * One self-update strategy. Called from the agent's update thread (every
 * {@code REPO_CHECK_INTERVAL_MINUTES}) or from {@code update-check}; never from the sampling thread.
 */
public interface Updater extends AutoCloseable {

    /**
     * Looks for a newer version without changing anything.
     *
     * @throws UpdateException when the check could not be made (network, credentials)
     */
    UpdateCheck check() throws UpdateException;

    /**
     * Applies the newest version if there is one. On failure the running version is left as it was.
     *
     * @param progress told about each step, for long downloads and builds
     * @throws UpdateException naming the step that failed and why
     */
    UpdateResult apply(Progress progress) throws UpdateException;

    /**
     * Told once per run, after the agent's first successful cycle (a batch delivered), so that a
     * freshly installed version can be confirmed good and no longer rolled back.
     */
    default void onHealthy() {
    }

    /** Releases what it holds. */
    @Override
    default void close() {
    }

    /** Receives progress lines such as {@code "fetching origin/main"}. */
    @FunctionalInterface
    interface Progress {
        void step(String message);
    }
}
