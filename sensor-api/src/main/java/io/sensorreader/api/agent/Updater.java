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
     * Told once per run, after the agent's first successful cycle (a batch delivered). The release
     * strategy's trial is judged by the stable launcher from the agent's health report instead.
     */
    default void onHealthy() {
    }

    /**
     * Clears the bad mark of a version that was rolled back, so that it may be installed again.
     *
     * @return what was done, for the operator, e.g. {@code "v1.2.0 may be installed again (it was
     *         marked bad on ... because ...)"}
     * @throws UpdateException when the strategy keeps no such marks, or the tag carries none
     */
    default String forgetBad(String tag) throws UpdateException {
        throw new UpdateException("forget-bad", "this update strategy marks no version bad");
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
