package dev.descent.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of an optimizer, shaped like PyTorch's {@code state_dict()}: the hyperparameter values of
 * each group (with {@code "params"} listing the indices of its parameters), and for each parameter index
 * that has state, its {@code step}, scalars and buffers.
 *
 * <p>Parameters are numbered across groups in group order, as PyTorch numbers them. Values are deep
 * copies: a snapshot never changes when the optimizer steps on, and loading it into a fresh optimizer
 * over the same parameters then stepping gives bit-identical results to stepping on.
 */
public final class StateDict {
    private final List<Map<String, Object>> paramGroups;
    private final Map<Integer, Map<String, Object>> state;

    /** A snapshot made of the given parts (deep-copied). */
    public StateDict(List<Map<String, Object>> paramGroups, Map<Integer, Map<String, Object>> state) {
        this.paramGroups = new ArrayList<>();
        paramGroups.forEach(g -> this.paramGroups.add(copy(g)));
        this.state = new LinkedHashMap<>();
        state.forEach((k, v) -> this.state.put(k, copy(v)));
    }

    /** Each group's hyperparameter values and {@code "params"} (an {@code int[]} of parameter indices); deep copies. */
    public List<Map<String, Object>> paramGroups() {
        List<Map<String, Object>> out = new ArrayList<>();
        paramGroups.forEach(g -> out.add(copy(g)));
        return out;
    }

    /** Per-parameter state by parameter index; deep copies. */
    public Map<Integer, Map<String, Object>> state() {
        Map<Integer, Map<String, Object>> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, copy(v)));
        return out;
    }

    static Map<String, Object> copy(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, v instanceof float[] ? ((float[]) v).clone()
                : v instanceof double[] ? ((double[]) v).clone()
                : v instanceof int[] ? ((int[]) v).clone() : v));
        return out;
    }

    @Override
    public String toString() {
        return "StateDict{groups=" + paramGroups.size() + ", states=" + state.keySet() + "}";
    }
}
