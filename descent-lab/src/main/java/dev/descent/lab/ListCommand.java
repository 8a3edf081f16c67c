package dev.descent.lab;

import dev.descent.optim.spec.Names;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code descent list [KIND]}: prints every optimizer (algorithms, aliases and composites), gradient transformation
 * (the parts of {@code chain(...)}), schedule and test problem with its hyperparameters and their defaults, one per
 * line on stdout, as {@link Catalog} words them.
 */
@Command(name = "list", usageHelpAutoWidth = true,
        description = {"List the optimizers (with aliases and composites), the gradient transformations that chain(...) "
                + "composes, schedules and test problems, one per line, with every hyperparameter and its default "
                + "(<required> where there is none).",
                "Each line is a kind (optimizer, alias, composite, transform, schedule, problem) and a spec."})
final class ListCommand implements Callable<Integer> {
    private static final List<String> KINDS = List.of("optimizers", "transforms", "schedules", "problems");

    @CommandLine.Spec
    private CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "KIND", description = "Only this kind: optimizers, transforms, schedules or problems.")
    private String kind;

    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() {
        String wanted = kind == null ? null : kind.toLowerCase(Locale.ROOT);
        if (wanted != null && !KINDS.contains(wanted)) {
            throw new IllegalArgumentException("list: " + Names.unknown("kind", kind, KINDS));
        }
        List<String> lines = new ArrayList<>();
        if (wanted == null || wanted.equals("optimizers")) {
            lines.addAll(Catalog.optimizers());
        }
        if (wanted == null || wanted.equals("transforms")) {
            lines.addAll(Catalog.transforms());
        }
        if (wanted == null || wanted.equals("schedules")) {
            lines.addAll(Catalog.schedules());
        }
        if (wanted == null || wanted.equals("problems")) {
            lines.addAll(Catalog.problems());
        }
        PrintWriter out = spec.commandLine().getOut();
        lines.forEach(out::println);
        out.flush();
        return Main.OK;
    }
}
