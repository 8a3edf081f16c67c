package dev.descent.optim;

import dev.descent.optim.spec.Names;
import dev.descent.optim.spec.Spec;
import dev.descent.optim.spec.SpecParser;
import dev.descent.optim.spec.SpecSeq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The registry of optimizers by name, and the entry point from a spec such as
 * {@code adam(lr=0.001, betas=(0.9, 0.999), amsgrad=true)} to an optimizer.
 *
 * <pre>
 *   Optimizer opt = Optimizers.parse("nag(lr=0.01)").build(store.params());
 * </pre>
 * The tutorials' short names are aliases: {@code momentum} is {@code sgd} with momentum 0.9 and
 * {@code nag} is {@code sgd} with Nesterov momentum 0.9; their values can still be overridden.
 */
public final class Optimizers {
    private static final Map<String, Algorithm> ALGORITHMS = new LinkedHashMap<>();
    private static final Map<String, Map<String, Object>> ALIASES = new LinkedHashMap<>();
    /** Composite optimizers (chains of transforms, wrappers): name to what turns a parsed spec into one. */
    private static final Map<String, Function<Spec, OptimizerSpec>> COMPOSITES = new LinkedHashMap<>();

    static {
        for (Algorithm a : List.of(Sgd.ALGORITHM, Adagrad.ALGORITHM, RmsProp.ALGORITHM, Adadelta.ALGORITHM,
                Adam.ALGORITHM, NAdam.ALGORITHM, AdamW.ALGORITHM, Adamax.ALGORITHM, RAdam.ALGORITHM, Asgd.ALGORITHM,
                Rprop.ALGORITHM, Lion.ALGORITHM, Lamb.ALGORITHM, Lars.ALGORITHM, AdaBelief.ALGORITHM, Yogi.ALGORITHM,
                Adafactor.ALGORITHM,
                Ftrl.ALGORITHM,
                SgdScheduleFree.ALGORITHM,
                AdamWScheduleFree.ALGORITHM,
                Muon.ALGORITHM)) {
            ALGORITHMS.put(a.name(), a);
        }
        ALGORITHMS.put(Lbfgs.ALGORITHM.name(), Lbfgs.ALGORITHM);
        ALIASES.put("momentum", Map.of("momentum", 0.9));
        ALIASES.put("nag", Map.of("momentum", 0.9, "nesterov", true));
        COMPOSITES.put("lookahead", Lookahead::spec);
        COMPOSITES.put("ema", Ema::spec);
        COMPOSITES.put("swa", Swa::spec);
        COMPOSITES.put("chain", dev.descent.optim.transform.Chain::spec);
    }

    private Optimizers() {
    }

    /** Every name a spec may use, aliases included, sorted. */
    public static List<String> names() {
        TreeSet<String> names = new TreeSet<>(ALGORITHMS.keySet());
        names.addAll(ALIASES.keySet());
        names.addAll(COMPOSITES.keySet());
        return new ArrayList<>(names);
    }

    /** The algorithm a name stands for ({@code sgd} for the aliases). */
    public static Algorithm algorithm(String name) {
        String key = name.toLowerCase(java.util.Locale.ROOT);
        Algorithm a = ALGORITHMS.get(ALIASES.containsKey(key) ? "sgd" : key);
        if (a == null) {
            throw new IllegalArgumentException(Names.unknown("optimizer", name, names()));
        }
        return a;
    }

    /**
     * Parses and validates an optimizer spec.
     *
     * @throws IllegalArgumentException when the text does not parse, names an unknown optimizer or key,
     *                                  or a value breaks its rule; the message names which and why
     */
    public static OptimizerSpec parse(String text) {
        return of(SpecParser.parse(text));
    }

    /** Validates a parsed optimizer spec. */
    public static OptimizerSpec of(Spec spec) {
        Function<Spec, OptimizerSpec> composite = COMPOSITES.get(spec.key());
        if (composite != null) {
            return composite.apply(spec);
        }
        Algorithm algorithm = algorithm(spec.name());
        if (!spec.positional().isEmpty()) {
            throw new IllegalArgumentException(spec.key() + " takes only key=value arguments, but got "
                    + Spec.render(spec.positional().get(0)) + " in " + spec.source());
        }
        Map<String, Object> given = new LinkedHashMap<>(ALIASES.getOrDefault(spec.key(), Map.of()));
        spec.named().forEach((k, v) -> given.put(k, v instanceof SpecSeq ? ((SpecSeq) v).items() : v));
        return new OptimizerSpec(algorithm, algorithm.resolve(null, given));
    }

    /** Parses {@code text} and builds the optimizer over {@code params} as one group. */
    public static Optimizer create(String text, List<Param> params) {
        return parse(text).build(params);
    }
}
