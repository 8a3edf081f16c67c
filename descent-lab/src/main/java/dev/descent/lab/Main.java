package dev.descent.lab;

import dev.descent.optim.Optimizers;
import dev.descent.optim.problem.Problem;
import dev.descent.optim.schedule.Schedules;
import dev.descent.optim.transform.Transforms;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The {@code descent} command: {@code trace}, {@code schedule}, {@code compare}, {@code train}, {@code tune},
 * {@code bench step}, {@code data fetch} and {@code list}.
 *
 * <p>The contract other tools rely on (DESIGN.md): stdout carries only the command's data; progress and
 * messages go to stderr; the exit code is 0 on success, 2 on bad usage or bad input (one line
 * {@code descent: <what is wrong>}, no usage dump, before any work starts) and 1 on a failure during
 * the run. Bad input is reported by throwing {@link IllegalArgumentException} (descent-optim's
 * validation errors and {@code SpecException} are ones) before the first byte of output.
 */
@Command(name = "descent",
        description = "First-order optimizers that match PyTorch step for step, and a lab to compare them.",
        subcommands = {TraceCommand.class, ScheduleCommand.class, CompareCommand.class, TrainCommand.class, TuneCommand.class,
                BenchCommand.class, DataCommand.class, ListCommand.class,
                CommandLine.HelpCommand.class},
        usageHelpAutoWidth = true)
public final class Main implements Callable<Integer> {
    /** Exit code of a successful run. */
    public static final int OK = 0;
    /** Exit code of a failure during the run. */
    public static final int FAILED = 1;
    /** Exit code of bad usage or bad input. */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    private CommandSpec spec;

    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        int code = run(System.out, System.err, args);
        System.exit(code);
    }

    /**
     * Runs the command line in-process, writing data to {@code out} and messages to {@code err}.
     *
     * @return the exit code: {@link #OK}, {@link #FAILED} or {@link #BAD_INPUT}
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        PrintWriter outWriter = new PrintWriter(out, false);
        PrintWriter errWriter = new PrintWriter(err, true);
        try {
            return commandLine(outWriter, errWriter).execute(args);
        } catch (Throwable t) {
            // Errors (not Exceptions) such as OutOfMemoryError pass by picocli's handlers.
            errWriter.println("descent: " + describe(t));
            return FAILED;
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    /** The configured command line, writing to the given streams. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("descent: " + parameterMessage(ex));
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean badInput = ex instanceof IllegalArgumentException && ex.getMessage() != null;
            commandLine.getErr().println("descent: " + (badInput ? oneLine(ex.getMessage()) : describe(ex)));
            return badInput ? BAD_INPUT : FAILED;
        });
        String optimizers = "%nOptimizers (a SPEC is a name or name(key=value, ...)):%n" + wrap(Optimizers.names(), ", ")
                + "  e.g. \"adam(lr=0.001, betas=(0.9, 0.999))\", \"nag(lr=0.01)\"%n"
                + "Transforms for chain(t1, t2, ...) (defaults: descent list transforms):%n"
                + wrap(Transforms.names(), ", ")
                + "  e.g. \"chain(clip_by_global_norm(1.0), scale_by_adam(), scale(-0.001))\"%n";
        cl.getSubcommands().get("trace").getCommandSpec().usageMessage().footer(optimizers + problems());
        cl.getSubcommands().get("schedule").getCommandSpec().usageMessage().footer("%nSchedules (a SPEC is a name or "
                + "name(key=value, ...); see docs/SCHEDULES.md):%n" + wrap(Schedules.names(), ", ") + optimizers);
        cl.getSubcommands().get("compare").getCommandSpec().usageMessage().footer("%nDefault optimizers:%n"
                + wrap(List.of(CompareCommand.DEFAULT_OPTIMIZERS.split("; ")), "; ") + "%nDefault optimizers with --problem:%n"
                + wrap(List.of(CompareCommand.PROBLEM_OPTIMIZERS.split("; ")), "; ") + optimizers + problems());
        cl.getSubcommands().get("train").getCommandSpec().usageMessage().footer("%nModels (a SPEC is a name or "
                + "name(key=value, ...)):%n" + wrap(TrainCommand.modelNames(), ", ")
                + "  e.g. \"mlp(hidden=[256, 128], dropout=0.2)\", \"cnn(channels=[32, 64])\",%n"
                + "  \"logreg()\", \"linreg()\" (regression, trained with MSE)%n"
                + "%nSchedules:%n" + wrap(Schedules.names(), ", ") + optimizers);
        cl.getSubcommands().get("tune").getCommandSpec().usageMessage().footer(optimizers + problems());
        cl.getSubcommands().get("bench").getSubcommands().get("step").getCommandSpec().usageMessage().footer(optimizers);
        return cl;
    }

    /** The help text's list of problems with their default starting points. */
    private static String problems() {
        StringBuilder b = new StringBuilder("Problems (and their default --init):%n");
        for (Problem p : Problem.values()) {
            b.append(String.format(Locale.ROOT, "  %-13s %s%%n", p.id(), OptionValues.numbers(p.defaultInit())));
        }
        return b.toString();
    }

    /** Items joined by {@code separator} in lines of at most 78 characters, each indented by two spaces. */
    private static String wrap(List<String> items, String separator) {
        StringBuilder b = new StringBuilder();
        StringBuilder line = new StringBuilder("  ");
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i) + (i < items.size() - 1 ? separator.strip() : "");
            if (line.length() > 2 && line.length() + 1 + item.length() > 78) {
                b.append(line).append("%n");
                line = new StringBuilder("  ");
            }
            line.append(line.length() > 2 ? " " : "").append(item);
        }
        return b.append(line).append("%n").toString();
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "missing command: use trace, schedule, compare, train, tune, bench, data or list (see descent --help)");
    }

    private static String parameterMessage(ParameterException ex) {
        String message = oneLine(ex.getMessage());
        if (message.length() > 1 && Character.isUpperCase(message.charAt(0)) && Character.isLowerCase(message.charAt(1))) {
            message = Character.toLowerCase(message.charAt(0)) + message.substring(1);
        }
        if (ex instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                message += "; did you mean " + String.join(" or ", suggestions) + "?";
            }
        }
        return message;
    }

    /** One line for an unexpected failure: the message, or the kind of error when there is none. */
    static String describe(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return "out of memory (give the JVM more with DESCENT_JAVA_OPTS=-Xmx8g): " + t.getMessage();
        }
        String message = t.getMessage() == null || t.getMessage().isBlank() ? "" : oneLine(t.getMessage());
        if (t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException) {
            return message.isEmpty() ? "input/output error" : message;
        }
        return "unexpected " + t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
