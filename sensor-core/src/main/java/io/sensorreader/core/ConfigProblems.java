package io.sensorreader.core;

import java.util.List;

/**
 * Start-up found one or more configuration problems. Each message already says where, what and
 * what was expected; the command line prints them all, one a line, and exits 78.
 */
public final class ConfigProblems extends RuntimeException {

    private final List<String> problems;

    /** @param problems operator-facing messages, at least one */
    public ConfigProblems(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems to report");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
