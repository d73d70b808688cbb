/**
 * Self-update from GitHub, two strategies behind {@link io.sensorreader.api.agent.Updater}:
 * {@code git} ({@link io.sensorreader.updater.GitUpdaterFactory}, the default) keeps a checkout on
 * the newest commit of a branch and rebuilds it; {@code release}
 * ({@link io.sensorreader.updater.ReleaseUpdaterFactory}) installs a release's distribution into
 * the release root (the service user's) and switches to it; the stable launcher, not this module,
 * confirms or rolls it back (docs/updates.md). Both authenticate as a GitHub App
 * (RS256 JWT, installation token cached until shortly before it expires), or go without a token
 * for public repositories.
 *
 * <h2>Secrets</h2>
 * The installation token is a {@link io.sensorreader.api.Secret}: it is never written to disk, to
 * {@code .git/config}, to a command line or to a log. git gets it only as an
 * {@code http.extraHeader} through {@code GIT_CONFIG_*} environment variables of the one fetch.
 *
 * <h2>Threads</h2>
 * An updater is called from the agent's update thread or from {@code update-check}, one call at a
 * time (the core's {@code UpdateLock} keeps {@code run}'s rounds and {@code update-check --apply}
 * apart). Every exchange with GitHub has a total and a stall deadline, so no call waits for ever.
 *
 * <h2>Failures</h2>
 * Every failure is an {@link io.sensorreader.api.agent.UpdateException} naming the step ({@code auth},
 * {@code fetch}, {@code reset}, {@code build}, {@code check}, {@code download}, {@code checksum},
 * {@code unpack}, {@code signature}, {@code install}, {@code forget-bad}) and leaves the running version as it was: a
 * failed build resets the checkout back; a release is switched to only after it is downloaded,
 * checked and unpacked. Network trouble simply waits for the next round.
 */
package io.sensorreader.updater;
