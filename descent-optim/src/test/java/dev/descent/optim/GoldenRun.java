package dev.descent.optim;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One reference run recorded from PyTorch by tools/golden/generate.py. */
final class GoldenRun {
    static final List<String> FILES = List.of("sgd", "adagrad", "rmsprop", "adadelta", "adam", "nadam",
            "adamw", "adamax", "radam", "asgd", "rprop");

    final String id;
    final String optimizer;
    final String problem;
    final float[][] params;
    final float[] loss;
    final float[][] grad;
    final double[] sensitivity;
    /** Per-parameter state recorded after each step (ASGD's {@code ax}), by state name; row 0 is its initial value. */
    final Map<String, float[][]> state = new LinkedHashMap<>();

    private GoldenRun(JsonNode run) {
        id = run.get("id").asText();
        optimizer = run.get("optimizer").asText();
        problem = run.get("problem").asText();
        params = rows(run.get("params"));
        grad = rows(run.get("grad"));
        loss = floats(run.get("loss"));
        sensitivity = GoldenJson.doubles(run.get("sensitivity"));
        if (run.has("state")) {
            run.get("state").fields().forEachRemaining(e -> state.put(e.getKey(), rows(e.getValue())));
        }
    }

    int steps() {
        return params.length - 1;
    }

    static List<GoldenRun> load(String algorithm) {
        List<GoldenRun> runs = new ArrayList<>();
        for (JsonNode run : GoldenJson.read(algorithm).get("runs")) {
            runs.add(new GoldenRun(run));
        }
        return runs;
    }

    static List<GoldenRun> loadAll() {
        List<GoldenRun> all = new ArrayList<>();
        FILES.forEach(f -> all.addAll(load(f)));
        return all;
    }

    private static float[] floats(JsonNode node) {
        float[] out = new float[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) node.get(i).asDouble();
        }
        return out;
    }

    private static float[][] rows(JsonNode node) {
        float[][] out = new float[node.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = floats(node.get(i));
        }
        return out;
    }

    /** |ours - torch| / max(|torch|, 1e-3), the largest over the components. */
    static double relativeError(float[] ours, float[] torch) {
        double worst = 0;
        for (int i = 0; i < torch.length; i++) {
            double e = Math.abs((double) ours[i] - torch[i]) / Math.max(Math.abs((double) torch[i]), 1e-3);
            worst = Double.isNaN(e) ? Double.POSITIVE_INFINITY : Math.max(worst, e);
        }
        return worst;
    }

    @Override
    public String toString() {
        return id + " " + optimizer;
    }
}
