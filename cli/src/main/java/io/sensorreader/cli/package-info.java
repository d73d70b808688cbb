/**
 * The {@code sensor-reader} command line (picocli): one class per subcommand, each a
 * {@code Callable<Integer>} that parses and delegates to {@code sensor-core}. Shared options live in
 * {@link io.sensorreader.cli.SharedOptions}; exit codes are mapped in
 * {@link io.sensorreader.cli.ExitCodes} only; output goes through picocli's out/err writers
 * (dry-run batches on stdout), logs to stderr.
 *
 * <p>One exception, for the daemon's start-up and memory: {@code run} in its plain forms is read
 * by {@link io.sensorreader.cli.RunArguments} without building picocli's model at all (about 0.35 s
 * and 170 classes); {@code run --help}, {@code --version}, typos and every other command still go
 * through picocli. A new {@code run} option must be added to both (RunArgumentsTest compares them).
 *
 * <p>Adding a subcommand: write the class, add one {@code .addSubcommand(...)} line in
 * {@link io.sensorreader.cli.Main#commandLine}.
 */
package io.sensorreader.cli;
