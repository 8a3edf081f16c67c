package dev.descent.optim.transform;

import dev.descent.optim.spec.Names;
import dev.descent.optim.spec.Spec;
import dev.descent.optim.spec.SpecSeq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The registry of gradient transformations by name, and the reading of one transform's spec, such as
 * {@code scale_by_adam(betas=(0.9, 0.999))} or {@code clip_by_global_norm(1.0)}.
 *
 * <p>Groups, by concern: clipping ({@code clip_by_global_norm}, {@code clip}); skipping ({@code apply_if_finite}); preconditioners
 * ({@code scale_by_adam}, {@code scale_by_rms}, {@code scale_by_adagrad}, {@code scale_by_adamax},
 * {@code scale_by_adadelta}, {@code scale_by_radam}, {@code scale_by_nadam}, {@code scale_by_belief},
 * {@code scale_by_yogi}, {@code scale_by_lion}, {@code scale_by_rprop}, {@code scale_by_factored_rms}); layer-wise rates
 * ({@code scale_by_trust_ratio}, {@code scale_by_lars}); momentum ({@code trace}, {@code ema});
 * regularization ({@code add_decayed_weights}, {@code add_l2}, {@code add_l1}, {@code soft_threshold},
 * {@code centralize}); scalings ({@code scale}, {@code scale_by_learning_rate}, {@code scale_by_lr_decay}, {@code scale_by_schedule},
 * {@code scale_by_param_block_rms}, {@code scale_by_relative_step}); transforms that land the step themselves
 * ({@code scale_by_asgd}, {@code scale_by_ftrl}, {@code schedule_free}, {@code scale_by_muon}; see {@link Preconditioner#mustLand()}).
 * A transform with one obvious hyperparameter takes it as its single positional argument; the others take
 * only key=value arguments.
 */
public final class Transforms {
    private static final Map<String, Transform> REGISTRY = new LinkedHashMap<>();

    static {
        for (Transform t : List.of(new ClipByGlobalNorm(), new Clip(), new ScaleByAdam(), new ScaleByRms(),
                new ScaleByAdagrad(), new ScaleByAdamax(), new ScaleByAdadelta(), new ScaleByRadam(), new ScaleByNadam(),
                new ScaleByBelief(), new ScaleByYogi(), new ScaleByLion(), new ScaleByRprop(), new ScaleByTrustRatio(),
                new ScaleByLars(), new ScaleBySchedule(), new ApplyIfFinite(), new Trace(), new AddDecayedWeights("add_decayed_weights", "weight_decay"),
                new AddDecayedWeights("add_l2", "l2"), new AddL1(), new SoftThreshold(), new Centralize(),
                new Scale(), new ScaleByLearningRate(), new ScaleByLrDecay(), new ScaleByFtrl(), new ScaleByAsgd(),
                new ScheduleFreeTransform(), new ScaleByMuon(), new ScaleByFactoredRms(), new ScaleByParamBlockRms(),
                new ScaleByRelativeStep(), new EmaTransform())) {
            REGISTRY.put(t.name(), t);
        }
    }

    private Transforms() {
    }

    /** Every transform name, sorted. */
    public static List<String> names() {
        return new ArrayList<>(new TreeSet<>(REGISTRY.keySet()));
    }

    /**
     * The transform called {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException for an unknown name, listing the valid ones and the closest
     */
    public static Transform get(String name) {
        Transform t = REGISTRY.get(name.toLowerCase(java.util.Locale.ROOT));
        if (t == null) {
            throw new IllegalArgumentException(Names.unknown("transform", name, names()));
        }
        return t;
    }

    /**
     * The complete, validated values a transform spec gives its transform: its single positional argument, if
     * any, sets the transform's positional hyperparameter.
     *
     * @throws IllegalArgumentException for a positional argument the transform does not take, a value given both
     *                                  positionally and by key, an unknown key or a bad value
     */
    static Map<String, Object> values(Transform t, Spec spec) {
        Map<String, Object> given = new LinkedHashMap<>();
        List<Object> positional = spec.positional();
        if (!positional.isEmpty()) {
            if (t.positional() == null) {
                throw new IllegalArgumentException(t.name() + " takes only key=value arguments, but got "
                        + Spec.render(positional.get(0)) + " in " + spec.source());
            }
            if (positional.size() > 1) {
                throw new IllegalArgumentException(t.name() + " takes one positional argument (" + t.positional()
                        + "), but got " + positional.size() + " in " + spec.source());
            }
            if (spec.named().containsKey(t.positional())) {
                throw new IllegalArgumentException(t.name() + ": " + t.positional() + " is given twice, by position and by key, in "
                        + spec.source());
            }
            given.put(t.positional(), plain(positional.get(0)));
        }
        spec.named().forEach((k, v) -> given.put(k, plain(v)));
        return t.resolve(given);
    }

    private static Object plain(Object v) {
        return v instanceof SpecSeq ? ((SpecSeq) v).items() : v;
    }
}
