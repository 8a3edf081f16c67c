package dev.descent.lab;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.util.concurrent.Callable;

/** {@code descent bench}: measurements a user can take on their own machine. */
@Command(name = "bench", usageHelpAutoWidth = true,
        description = "Measure descent on this machine (the JMH suites live in descent-bench).",
        subcommands = {BenchStepCommand.class})
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandSpec spec;

    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: use bench step (see descent bench --help)");
    }
}
