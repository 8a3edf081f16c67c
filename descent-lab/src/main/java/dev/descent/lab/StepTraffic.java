package dev.descent.lab;

import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Optimizers;
import dev.descent.optim.ParamStore;
import dev.descent.optim.spec.Spec;
import dev.descent.optim.spec.SpecParser;

import java.util.Map;

/**
 * The memory traffic of an optimizer step: how many bytes an ideal fused step must read and write per
 * parameter in float32, the figure {@code descent bench step} divides by the step time to report
 * effective GB/s. Every array the update reads counts 4 bytes, every array it writes 4 more:
 *
 * <table>
 * <caption>bytes per parameter</caption>
 * <tr><th>algorithm</th><th>reads</th><th>writes</th><th>bytes</th></tr>
 * <tr><td>sgd</td><td>p, g</td><td>p</td><td>12</td></tr>
 * <tr><td>sgd with momentum &gt; 0 (also nesterov; the aliases momentum, nag)</td><td>p, g, buf</td><td>p, buf</td><td>20</td></tr>
 * <tr><td>adagrad</td><td>p, g, sum</td><td>p, sum</td><td>20</td></tr>
 * <tr><td>rmsprop</td><td>p, g, square_avg</td><td>p, square_avg</td><td>20</td></tr>
 * <tr><td>rmsprop, centered</td><td>+ grad_avg</td><td>+ grad_avg</td><td>+8</td></tr>
 * <tr><td>rmsprop, momentum &gt; 0</td><td>+ momentum_buffer</td><td>+ momentum_buffer</td><td>+8</td></tr>
 * <tr><td>adadelta</td><td>p, g, square_avg, acc_delta</td><td>p, square_avg, acc_delta</td><td>28</td></tr>
 * <tr><td>adam</td><td>p, g, exp_avg, exp_avg_sq</td><td>p, exp_avg, exp_avg_sq</td><td>28</td></tr>
 * <tr><td>adam, amsgrad</td><td>+ max_exp_avg_sq</td><td>+ max_exp_avg_sq</td><td>36</td></tr>
 * <tr><td>nadam, radam, adamw</td><td>p, g, exp_avg, exp_avg_sq</td><td>p, exp_avg, exp_avg_sq</td><td>28</td></tr>
 * <tr><td>adamw, amsgrad</td><td>+ max_exp_avg_sq</td><td>+ max_exp_avg_sq</td><td>36</td></tr>
 * <tr><td>adamax</td><td>p, g, exp_avg, exp_inf</td><td>p, exp_avg, exp_inf</td><td>28</td></tr>
 * <tr><td>asgd</td><td>p, g, ax</td><td>p, ax</td><td>20</td></tr>
 * <tr><td>rprop</td><td>p, g, prev, step_size</td><td>p, prev, step_size</td><td>28</td></tr>
 * <tr><td>lion</td><td>p, g, exp_avg</td><td>p, exp_avg</td><td>20</td></tr>
 * <tr><td>adabelief (amsgrad adds max_exp_avg_var: 36)</td><td>p, g, exp_avg, exp_avg_var</td><td>p, exp_avg, exp_avg_var</td><td>28</td></tr>
 * <tr><td>yogi</td><td>p, g, exp_avg, exp_avg_sq</td><td>p, exp_avg, exp_avg_sq</td><td>28</td></tr>
 * <tr><td>lamb (a norm pass, then the update)</td><td>p, g, exp_avg, exp_avg_sq, twice</td><td>p, exp_avg, exp_avg_sq</td><td>44</td></tr>
 * <tr><td>lars, as sgd when weight_decay = 0 and not always_adapt</td><td>sgd's</td><td>sgd's</td><td>12 or 20</td></tr>
 * <tr><td>lars, adapting (a norm pass over p, g first)</td><td>+ p, g</td><td></td><td>+8</td></tr>
 * <tr><td>ema(inner)</td><td>inner's + p, average</td><td>inner's + average</td><td>inner + 12</td></tr>
 * <tr><td>swa(inner), once averaging</td><td>inner's + p, average every swa_freq-th step</td><td>inner's + average</td><td>inner + 12 / swa_freq</td></tr>
 * <tr><td>lookahead(inner)</td><td>inner's + p, slow_weights every k-th step</td><td>inner's + p, slow_weights</td><td>inner + 16 / k</td></tr>
 * <tr><td>adafactor on vectors (an RMS pass over p, g, exp_avg_sq first)</td><td>p, g, exp_avg_sq, twice</td>
 *     <td>p, exp_avg_sq</td><td>32</td></tr>
 * <tr><td>adafactor on matrices (not what bench step measures: its tensors are vectors)</td><td>p, g, then g,
 *     then p, g</td><td>p</td><td>24</td></tr>
 * <tr><td>adafactor, beta1 &gt; 0</td><td>+ exp_avg</td><td>+ exp_avg</td><td>+8</td></tr>
 * <tr><td>ftrl</td><td>p, g, accumulator, linear</td><td>p, accumulator, linear</td><td>28</td></tr>
 * <tr><td>sgd_schedulefree</td><td>p, g, z</td><td>p, z</td><td>20</td></tr>
 * <tr><td>adamw_schedulefree</td><td>p, g, z, exp_avg_sq</td><td>p, z, exp_avg_sq</td><td>28</td></tr>
 * <tr><td>muon on vectors (its AdamW backup)</td><td>p, g, exp_avg, exp_avg_sq</td><td>p, exp_avg, exp_avg_sq</td><td>28</td></tr>
 * <tr><td>muon on matrices (not what bench step measures), plus the Newton-Schulz iteration's
 *     matrix products</td><td>p, g, momentum_buffer</td><td>p, momentum_buffer</td><td>20</td></tr>
 * </table>
 * A wrapper's extra traffic is amortized over the steps in which it works and rounded to whole floats
 * (lookahead with k = 5 adds 4 bytes; with k &gt;= 9, none).
 * Weight decay and {@code maximize} read nothing more (the parameter and gradient are read anyway);
 * scalars such as NAdam's running momentum product, and Adafactor's row and column accumulators (rows + columns
 * floats per matrix), do not count. {@code bench step} lays its parameters out as vectors, so adafactor and
 * muon count their vector figures. A composite spec ({@code chain(...)}) counts
 * as the fused step with the same state would: p and g read, p written, and each state array it keeps read and
 * written, found by stepping it once on one parameter; its own scratch update vector does not count.
 */
public final class StepTraffic {
    private static final int FLOAT = Float.BYTES;

    private StepTraffic() {
    }

    /**
     * The bytes per parameter an ideal fused step of {@code spec} reads and writes.
     *
     * @throws IllegalArgumentException for an algorithm this table does not know yet
     */
    public static int bytesPerParam(OptimizerSpec spec) {
        String name = spec.name();
        if (name.equals("ema") || name.equals("swa") || name.equals("lookahead")) {
            return wrapper(spec);
        }
        int arrays = switch (name) {
            case "sgd" -> real(spec, "momentum") > 0 ? 5 : 3;
            case "adagrad", "asgd" -> 5;
            case "rmsprop" -> 5 + (flag(spec, "centered") ? 2 : 0) + (real(spec, "momentum") > 0 ? 2 : 0);
            case "adadelta", "nadam", "radam", "adamax", "rprop" -> 7;
            case "adam", "adamw" -> flag(spec, "amsgrad") ? 9 : 7;
            case "lion" -> 5;
            case "adabelief" -> flag(spec, "amsgrad") ? 9 : 7;
            case "yogi" -> 7;
            case "lamb" -> 11;
            case "lars" -> (real(spec, "momentum") > 0 ? 5 : 3)
                    + (real(spec, "weight_decay") != 0 || flag(spec, "always_adapt") ? 2 : 0);
            case "adafactor" -> real(spec, "beta1") > 0 ? 10 : 8;
            case "ftrl" -> 7;
            case "sgd_schedulefree" -> 5;
            case "adamw_schedulefree" -> 7;
            case "muon" -> 7;
            case "lbfgs" -> throw new IllegalArgumentException("lbfgs has no single fused step to time: each step"
                    + " re-evaluates a closure up to max_iter times");
            default -> {
                if (spec.isComposite()) {
                    yield 3 + 2 * stateArrays(spec);
                }
                throw new IllegalArgumentException("no memory-traffic figure for optimizer '" + name
                        + "'; add it to dev.descent.lab.StepTraffic");
            }
        };
        return arrays * FLOAT;
    }

    /** A wrapper's figure: its inner optimizer's plus its own, amortized and rounded to whole floats (see the table). */
    private static int wrapper(OptimizerSpec spec) {
        Spec parsed = SpecParser.parse(spec.toString());
        int inner = bytesPerParam(Optimizers.of((Spec) parsed.positional().get(0)));
        double extraFloats = switch (spec.name()) {
            case "ema" -> 3;
            case "swa" -> 3 / ((Number) parsed.named().get("swa_freq")).doubleValue();
            default -> 4 / ((Number) parsed.named().get("k")).doubleValue();
        };
        return inner + (int) Math.round(extraFloats) * FLOAT;
    }

    /** The number of state arrays {@code spec} keeps per parameter, after one step on a one-element parameter. */
    private static int stateArrays(OptimizerSpec spec) {
        ParamStore one = ParamStore.builder().add("w", 1).build();
        Optimizer opt = spec.build(one.params());
        one.markGradsDefined();
        opt.step();
        Map<String, Object> state = opt.stateDict().state().get(0);
        return state == null ? 0 : (int) state.values().stream().filter(v -> v instanceof float[]).count();
    }

    private static double real(OptimizerSpec spec, String key) {
        return ((Number) spec.values().get(key)).doubleValue();
    }

    private static boolean flag(OptimizerSpec spec, String key) {
        return (Boolean) spec.values().get(key);
    }
}
