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
 *
 * <p>Beyond PyTorch's two parts, a snapshot holds the state of what is attached to the optimizer (its
 * hyperparameter schedules, see {@link Optimizer#attach}), by attachment name, so that a resumed run gets
 * the values it would have had.
 */
public final class StateDict {
    private final List<Map<String, Object>> paramGroups;
    private final Map<Integer, Map<String, Object>> state;
    private final Map<String, Map<String, Object>> attachments;

    /** A snapshot made of the given parts (deep-copied), with nothing attached. */
    public StateDict(List<Map<String, Object>> paramGroups, Map<Integer, Map<String, Object>> state) {
        this(paramGroups, state, Map.of());
    }

    /** A snapshot made of the given parts (deep-copied), with the state of the optimizer's attachments by name. */
    public StateDict(List<Map<String, Object>> paramGroups, Map<Integer, Map<String, Object>> state,
            Map<String, Map<String, Object>> attachments) {
        this.paramGroups = new ArrayList<>();
        paramGroups.forEach(g -> this.paramGroups.add(copy(g)));
        this.state = new LinkedHashMap<>();
        state.forEach((k, v) -> this.state.put(k, copy(v)));
        this.attachments = new LinkedHashMap<>();
        attachments.forEach((k, v) -> this.attachments.put(k, copy(v)));
    }

    /** The state of each attachment (hyperparameter schedules) by name; deep copies. */
    public Map<String, Map<String, Object>> attachments() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        attachments.forEach((k, v) -> out.put(k, copy(v)));
        return out;
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

    /** A deep copy: arrays are cloned, and nested maps and lists copied, so that nothing is shared. */
    static Map<String, Object> copy(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, copyValue(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object v) {
        if (v instanceof float[] f) {
            return f.clone();
        } else if (v instanceof double[] d) {
            return d.clone();
        } else if (v instanceof int[] i) {
            return i.clone();
        } else if (v instanceof long[] l) {
            return l.clone();
        } else if (v instanceof boolean[] b) {
            return b.clone();
        } else if (v instanceof Map<?, ?> m) {
            return copy((Map<String, Object>) m);
        } else if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(x -> out.add(copyValue(x)));
            return out;
        }
        return v;
    }

    @Override
    public String toString() {
        return "StateDict{groups=" + paramGroups.size() + ", states=" + state.keySet()
                + (attachments.isEmpty() ? "" : ", attachments=" + attachments.keySet()) + "}";
    }
}
