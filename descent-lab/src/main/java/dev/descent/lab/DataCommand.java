package dev.descent.lab;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.util.concurrent.Callable;

/** {@code descent data}: getting the data sets that training runs read. */
@Command(name = "data", usageHelpAutoWidth = true,
        description = "Get data sets: descent data fetch mnist|fashion-mnist|kmnist.",
        subcommands = {DataFetchCommand.class})
final class DataCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandSpec spec;

    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: use data fetch (see descent data --help)");
    }
}
