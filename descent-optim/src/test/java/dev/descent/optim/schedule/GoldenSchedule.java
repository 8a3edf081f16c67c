package dev.descent.optim.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.optim.GoldenJson;
import dev.descent.optim.spec.Spec;
import dev.descent.optim.spec.SpecParser;
import dev.descent.optim.spec.SpecSeq;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;

import static dev.descent.optim.GoldenJson.doubles;
import static dev.descent.optim.GoldenJson.rows;

/** One configuration PyTorch 1.13 ran, recorded by tools/golden/schedules.py. */
final class GoldenSchedule {
    /** The Java functions the script's LambdaLR and MultiplicativeLR use, by the script's names. */
    static final Map<String, LongToDoubleFunction> FUNCTIONS = Map.of(
            "pow095", k -> StrictMath.pow(0.95, k),
            "inverse", k -> 1.0 / (1.0 + 0.1 * k),
            "pow097", k -> StrictMath.pow(0.97, k),
            "const095", k -> 0.95,
            "every10", k -> k % 10 == 0 ? 0.5 : 1.0);

    final String id;
    final String spec;
    final String description;
    final Schedule schedule;
    final List<GroupBase> groups;
    final int steps;
    final double[] metrics;
    final int[] recordedSteps;
    final double[][] lr;
    final double[][] momentum;
    final double[][] torch113Lr;

    private GoldenSchedule(JsonNode run) {
        id = run.get("id").asText();
        spec = run.get("spec").isNull() ? null : run.get("spec").asText();
        description = spec != null ? spec : run.get("java").asText();
        schedule = build(SpecParser.parse(description));
        steps = run.get("steps").asInt();
        String key = run.get("momentum_key").isNull() ? null : run.get("momentum_key").asText();
        groups = new ArrayList<>();
        for (JsonNode g : run.get("groups")) {
            double lr0 = g.get("lr").asDouble();
            int index = groups.size();
            groups.add(key == null ? GroupBase.of(index, lr0)
                    : key.equals("momentum") ? GroupBase.withMomentum(index, lr0, g.get("momentum").asDouble())
                    : GroupBase.withBeta1(index, lr0, g.get("momentum").asDouble()));
        }
        metrics = run.has("metrics") ? doubles(run.get("metrics")) : null;
        if (run.get("recorded_steps").isNull()) {
            recordedSteps = new int[steps + 1];
            for (int k = 0; k <= steps; k++) {
                recordedSteps[k] = k;
            }
        } else {
            JsonNode r = run.get("recorded_steps");
            recordedSteps = new int[r.size()];
            for (int i = 0; i < recordedSteps.length; i++) {
                recordedSteps[i] = r.get(i).asInt();
            }
        }
        lr = rows(run.get("lr"));
        momentum = run.get("momentum").isNull() ? null : rows(run.get("momentum"));
        torch113Lr = run.has("torch113_lr") ? rows(run.get("torch113_lr")) : null;
    }

    /** Builds a schedule from the spec, or from the script's description of a Java-only one. */
    static Schedule build(Spec spec) {
        switch (spec.key()) {
            case "lambdalr":
                return new LambdaLr(functions(spec));
            case "multiplicativelr":
                return new MultiplicativeLr(functions(spec));
            case "sequentiallr": {
                List<Schedule> children = new ArrayList<>();
                List<Long> milestones = new ArrayList<>();
                spec.positional().forEach(c -> children.add(build((Spec) c)));
                ((SpecSeq) spec.named().get("milestones")).items().forEach(m -> milestones.add((Long) m));
                return new SequentialLr(children, milestones);
            }
            case "chainedscheduler": {
                List<Chainable> children = new ArrayList<>();
                spec.positional().forEach(c -> children.add((Chainable) build((Spec) c)));
                return new ChainedScheduler(children);
            }
            default:
                return Schedules.of(spec);
        }
    }

    private static List<LongToDoubleFunction> functions(Spec spec) {
        List<LongToDoubleFunction> out = new ArrayList<>();
        Object arg = spec.positional().get(0);
        List<Object> names = arg instanceof SpecSeq seq ? seq.items() : List.of(arg);
        for (Object n : names) {
            out.add(FUNCTIONS.get(((Spec) n).key()));
        }
        return out;
    }

    Scheduler start() {
        return schedule.start(groups);
    }

    /** Steps {@code s} once, with the recorded metric for step {@code k} (1-based) when there is one. */
    void step(Scheduler s, int k) {
        if (metrics != null) {
            s.step(metrics[k - 1]);
        } else {
            s.step();
        }
    }

    static List<GoldenSchedule> load() {
        List<GoldenSchedule> runs = new ArrayList<>();
        for (JsonNode run : GoldenJson.read("schedules").get("runs")) {
            runs.add(new GoldenSchedule(run));
        }
        return runs;
    }

    static JsonNode errors() {
        return GoldenJson.read("schedules").get("errors");
    }

    @Override
    public String toString() {
        return id + " " + description;
    }
}
