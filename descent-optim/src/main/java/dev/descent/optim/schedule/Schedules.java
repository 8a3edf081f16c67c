package dev.descent.optim.schedule;

import dev.descent.optim.spec.Names;
import dev.descent.optim.spec.Spec;
import dev.descent.optim.spec.SpecParser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The registry of schedules by name, and the entry point from a spec to a schedule:
 *
 * <pre>
 *   Schedule s = Schedules.parse("sequentiallr(linearlr(start_factor=0.1, total_iters=5), cosineannealinglr(T_max=55), milestones=[5])");
 *   Scheduler run = s.start(GroupBase.of(optimizer));
 * </pre>
 * Names are PyTorch's and Keras's class names in lower case ({@code steplr}, {@code cosineannealinglr},
 * {@code piecewiseconstantdecay}), plus {@code linearwarmup} and {@code inversesqrt}; underscores in a name are
 * ignored ({@code inverse_sqrt}, {@code piecewise_constant_decay}). Keys are the libraries' keyword names,
 * case-insensitive ({@code T_max} or {@code t_max}). Combinators take their schedules as positional arguments
 * ({@code sequentiallr(s1, s2, milestones=[5])}, {@code chainedscheduler(s1, s2)},
 * {@code linearwarmup(s, warmup_steps=5)}) or, as in PyTorch, as {@code schedulers=[s1, s2]}. PyTorch's
 * {@code verbose} is accepted and ignored. LambdaLR and MultiplicativeLR take Java functions and exist in the
 * Java API only ({@link LambdaLr}, {@link MultiplicativeLr}).
 */
public final class Schedules {
    private static final Map<String, Function<Spec, Schedule>> PARSERS = new LinkedHashMap<>();
    private static final List<String> JAVA_ONLY = List.of("lambdalr", "multiplicativelr");

    static {
        PARSERS.put("steplr", Schedules::stepLr);
        PARSERS.put("multisteplr", Schedules::multiStepLr);
        PARSERS.put("constantlr", Schedules::constantLr);
        PARSERS.put("linearlr", Schedules::linearLr);
        PARSERS.put("exponentiallr", Schedules::exponentialLr);
        PARSERS.put("polynomiallr", Schedules::polynomialLr);
        PARSERS.put("cosineannealinglr", Schedules::cosineAnnealingLr);
        PARSERS.put("cosineannealingwarmrestarts", Schedules::cosineAnnealingWarmRestarts);
        PARSERS.put("cycliclr", Schedules::cyclicLr);
        PARSERS.put("onecyclelr", Schedules::oneCycleLr);
        PARSERS.put("sequentiallr", Schedules::sequentialLr);
        PARSERS.put("chainedscheduler", Schedules::chainedScheduler);
        PARSERS.put("reducelronplateau", Schedules::reduceLrOnPlateau);
        PARSERS.put("piecewiseconstantdecay", Schedules::piecewiseConstantDecay);
        PARSERS.put("inversetimedecay", Schedules::inverseTimeDecay);
        PARSERS.put("linearwarmup", Schedules::linearWarmup);
        PARSERS.put("inversesqrt", Schedules::inverseSqrt);
    }

    private Schedules() {
    }

    /** Every name a spec may use, sorted. */
    public static List<String> names() {
        return new ArrayList<>(new TreeSet<>(PARSERS.keySet()));
    }

    /**
     * Parses and validates a schedule spec.
     *
     * @throws IllegalArgumentException when the text does not parse, names an unknown schedule or key, or a
     *                                  value breaks its rule; the message names which and why
     */
    public static Schedule parse(String text) {
        return of(SpecParser.parse(text));
    }

    /** Validates a parsed schedule spec. */
    public static Schedule of(Spec spec) {
        String key = canonical(spec.name());
        Function<Spec, Schedule> parser = PARSERS.get(key);
        if (parser == null) {
            if (JAVA_ONLY.contains(key)) {
                throw new IllegalArgumentException(key + " takes a Java function, so it exists in the Java API only: "
                        + "new " + (key.equals("lambdalr") ? "LambdaLr" : "MultiplicativeLr") + "(k -> ...)");
            }
            throw new IllegalArgumentException(Names.unknown("schedule", spec.name(), names()));
        }
        return parser.apply(spec);
    }

    private static Schedule stepLr(Spec spec) {
        SpecArgs a = new SpecArgs(spec, "steplr", "step_size", "gamma").keywordsOnly();
        return new StepLr(a.integer("step_size", "10"), a.real("gamma", 0.1));
    }

    private static Schedule multiStepLr(Spec spec) {
        SpecArgs a = new SpecArgs(spec, "multisteplr", "milestones", "gamma").keywordsOnly();
        return new MultiStepLr(a.integers("milestones", "[30, 80]"), a.real("gamma", 0.1));
    }

    private static Schedule constantLr(Spec spec) {
        SpecArgs a = new SpecArgs(spec, "constantlr", "factor", "total_iters").keywordsOnly();
        return new ConstantLr(a.real("factor", 1.0 / 3), a.integer("total_iters", 5));
    }

    private static Schedule linearLr(Spec spec) {
        SpecArgs a = new SpecArgs(spec, "linearlr", "start_factor", "end_factor", "total_iters").keywordsOnly();
        return new LinearLr(a.real("start_factor", 1.0 / 3), a.real("end_factor", 1.0), a.integer("total_iters", 5));
    }

    private static Schedule exponentialLr(Spec spec) {
        SpecArgs a = new SpecArgs(spec, "exponentiallr", "gamma").keywordsOnly();
        return new ExponentialLr(a.real("gamma", "0.95"));
    }

    private static Schedule polynomialLr(Spec spec) {
        SpecArgs a = new SpecArgs(spec, "polynomiallr", "total_iters", "power").keywordsOnly();
        return new PolynomialLr(a.integer("total_iters", 5), a.real("power", 1.0));
    }

    private static Schedule cosineAnnealingLr(Spec spec) {
        SpecArgs a = new SpecArgs(spec, "cosineannealinglr", "T_max", "eta_min").keywordsOnly();
        return new CosineAnnealingLr(a.integer("T_max", "100"), a.real("eta_min", 0.0));
    }

    private static Schedule cosineAnnealingWarmRestarts(Spec spec) {
        SpecArgs a = new SpecArgs(spec, "cosineannealingwarmrestarts", "T_0", "T_mult", "eta_min").keywordsOnly();
        return new CosineAnnealingWarmRestarts(a.integer("T_0", "10"), a.integer("T_mult", 1), a.real("eta_min", 0.0));
    }

    private static Schedule cyclicLr(Spec spec) {
        SpecArgs a = new SpecArgs(spec, "cycliclr", "base_lr", "max_lr", "step_size_up", "step_size_down", "mode",
                "gamma", "cycle_momentum", "base_momentum", "max_momentum").keywordsOnly();
        return new CyclicLr(a.perGroup("base_lr", "0.001"), a.perGroup("max_lr", "0.01"), a.real("step_size_up", 2000),
                a.realOrNull("step_size_down"), a.string("mode", "triangular"), a.real("gamma", 1.0),
                a.flag("cycle_momentum", true), a.perGroup("base_momentum", 0.8), a.perGroup("max_momentum", 0.9));
    }

    private static Schedule oneCycleLr(Spec spec) {
        SpecArgs a = new SpecArgs(spec, "onecyclelr", "max_lr", "total_steps", "epochs", "steps_per_epoch", "pct_start",
                "anneal_strategy", "cycle_momentum", "base_momentum", "max_momentum", "div_factor", "final_div_factor",
                "three_phase").keywordsOnly();
        Long total = a.integerOrNull("total_steps");
        if (total == null) {
            Long epochs = a.integerOrNull("epochs");
            Long perEpoch = a.integerOrNull("steps_per_epoch");
            if (epochs == null || perEpoch == null) {
                throw new IllegalArgumentException("onecyclelr: give total_steps, or epochs and steps_per_epoch "
                        + "(PyTorch: \"You must define either total_steps OR (epochs AND steps_per_epoch)\"), "
                        + "e.g. onecyclelr(max_lr=0.1, total_steps=1000)");
            }
            Rules.atLeast("onecyclelr", "epochs", epochs, 1);
            Rules.atLeast("onecyclelr", "steps_per_epoch", perEpoch, 1);
            total = Math.multiplyExact(epochs, perEpoch);
        }
        return new OneCycleLr(a.perGroup("max_lr", "0.1"), total, a.real("pct_start", 0.3),
                a.string("anneal_strategy", "cos"), a.flag("cycle_momentum", true), a.perGroup("base_momentum", 0.85),
                a.perGroup("max_momentum", 0.95), a.real("div_factor", 25.0), a.real("final_div_factor", 1e4),
                a.flag("three_phase", false));
    }

    private static Schedule sequentialLr(Spec spec) {
        SpecArgs a = new SpecArgs(spec, "sequentiallr", "schedulers", "milestones");
        List<Schedule> children = new ArrayList<>();
        a.schedules("sequentiallr(linearlr(start_factor=0.1, total_iters=5), cosineannealinglr(T_max=55), milestones=[5])")
                .forEach(s -> children.add(of(s)));
        return new SequentialLr(children, a.integers("milestones", "[5]"));
    }

    private static Schedule chainedScheduler(Spec spec) {
        SpecArgs a = new SpecArgs(spec, "chainedscheduler", "schedulers");
        List<Chainable> children = new ArrayList<>();
        for (Spec s : a.schedules("chainedscheduler(constantlr(factor=0.1, total_iters=2), exponentiallr(gamma=0.9))")) {
            Schedule child = of(s);
            if (!(child instanceof Chainable c)) {
                throw new IllegalArgumentException("chainedscheduler: " + s.name() + " cannot be chained: it "
                        + (child.needsMetric() ? "needs a metric at every step" : "does not map the current lr step by step")
                        + "; chainable are " + String.join(", ", chainableNames()));
            }
            children.add(c);
        }
        return new ChainedScheduler(children);
    }

    private static List<String> chainableNames() {
        List<String> out = new ArrayList<>(names());
        out.removeAll(List.of("sequentiallr", "linearwarmup", "reducelronplateau"));
        return out;
    }

    private static Schedule reduceLrOnPlateau(Spec spec) {
        SpecArgs a = new SpecArgs(spec, "reducelronplateau", "mode", "factor", "patience", "threshold", "threshold_mode",
                "cooldown", "min_lr", "eps").keywordsOnly();
        return new ReduceLrOnPlateau(a.string("mode", "min"), a.real("factor", 0.1), a.integer("patience", 10),
                a.real("threshold", 1e-4), a.string("threshold_mode", "rel"), a.integer("cooldown", 0),
                a.perGroup("min_lr", 0.0), a.real("eps", 1e-8));
    }

    private static Schedule piecewiseConstantDecay(Spec spec) {
        SpecArgs a = new SpecArgs(spec, "piecewiseconstantdecay", "boundaries", "values").keywordsOnly();
        return new PiecewiseConstantDecay(a.integers("boundaries", "[1000, 2000]"), a.reals("values", "[0.1, 0.01, 0.001]"));
    }

    private static Schedule inverseTimeDecay(Spec spec) {
        SpecArgs a = new SpecArgs(spec, "inversetimedecay", "initial_learning_rate", "decay_steps", "decay_rate",
                "staircase").keywordsOnly();
        return new InverseTimeDecay(a.realOrNull("initial_learning_rate"), a.real("decay_steps", "1000"),
                a.real("decay_rate", "0.5"), a.flag("staircase", false));
    }

    private static Schedule linearWarmup(Spec spec) {
        SpecArgs a = new SpecArgs(spec, "linearwarmup", "warmup_steps", "start_factor");
        List<Spec> inner = spec.positional().stream().filter(x -> x instanceof Spec).map(x -> (Spec) x).toList();
        if (inner.size() != 1 || spec.positional().size() != 1) {
            throw new IllegalArgumentException("linearwarmup: takes exactly one schedule as positional argument, e.g. "
                    + "linearwarmup(cosineannealinglr(T_max=95), warmup_steps=5), but got " + spec.source());
        }
        return new LinearWarmup(of(inner.get(0)), a.integer("warmup_steps", "5"), a.real("start_factor", 0.0));
    }

    private static Schedule inverseSqrt(Spec spec) {
        SpecArgs a = new SpecArgs(spec, "inversesqrt", "warmup_steps", "start_factor").keywordsOnly();
        return new InverseSqrt(a.integer("warmup_steps", "4000"), a.real("start_factor", 0.0));
    }

    /** The canonical name of a spec name (lower case, underscores dropped). */
    static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT).replace("_", "");
    }
}
