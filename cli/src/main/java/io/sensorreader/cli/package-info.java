/**
 * The {@code sensor-reader} command line (picocli): one class per subcommand, each a
 * {@code Callable<Integer>} that parses and delegates to {@code sensor-core}. Shared options live in
 * {@link io.sensorreader.cli.SharedOptions}; exit codes are mapped in
 * {@link io.sensorreader.cli.ExitCodes} only; output goes through picocli's out/err writers
 * (dry-run batches on stdout), logs to stderr.
 *
 * <p>Adding a subcommand: write the class, add one {@code .addSubcommand(...)} line in
 * {@link io.sensorreader.cli.Main#commandLine}.
 */
package io.sensorreader.cli;
