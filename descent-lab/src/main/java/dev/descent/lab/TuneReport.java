package dev.descent.lab;

import dev.descent.lab.CompareReport.Chart;
import dev.descent.lab.CompareReport.Html;
import dev.descent.lab.plot.Legend;
import dev.descent.lab.plot.LineChart;
import dev.descent.lab.tune.Distribution;
import dev.descent.lab.tune.SearchSpace;
import dev.descent.lab.tune.Study;
import dev.descent.lab.tune.TrialRecord;
import dev.descent.lab.tune.TrialState;
import dev.descent.optim.spec.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The report of {@code descent tune --out DIR}: {@code report.html}, a page that works offline (the charts are
 * embedded as PNG, with {@link CompareReport}'s page and chart machinery), with the best trial, a chart of the
 * score against each hyperparameter, one of the best score so far against the trial number and the table of
 * trials; the charts are also written beside it as {@code params.png}/{@code .svg} and {@code progress.png}/{@code .svg}.
 */
final class TuneReport {
    private static final String COMPLETE = "complete";
    private static final String PRUNED = "pruned (last reported score)";
    private static final String BEST_SO_FAR = "best so far";

    /**
     * What the report says about the study.
     *
     * @param space     the search space
     * @param setup     what a trial runs and how it is scored, in words (problem and steps, or model, data and epochs)
     * @param sampler   the sampler as printed
     * @param pruner    the pruner as printed
     * @param jobs      trials run at once
     * @param seconds   the wall time of this invocation
     * @param units     what a trial's progress counts ({@code steps} or {@code epochs})
     */
    record Setup(SearchSpace space, String setup, String sampler, String pruner, int jobs, double seconds,
                 TuneCommand.Units units) {
    }

    private TuneReport() {
    }

    /** Writes the charts and {@code report.html} into {@code dir}. */
    static void write(Path dir, Setup setup, List<TrialRecord> records) {
        List<Chart> charts = charts(setup.space(), records);
        List<byte[]> pngs = CompareReport.writeCharts(dir, charts);
        String page = html(setup, records, charts, pngs);
        AtomicFile.write(dir.resolve("report.html"), w -> w.append(page));
    }

    /** The two charts: score against each hyperparameter, and the best score so far against the trial number. */
    static List<Chart> charts(SearchSpace space, List<TrialRecord> records) {
        boolean anyPruned = records.stream().anyMatch(r -> r.state() == TrialState.PRUNED && !Double.isNaN(r.score()));
        List<String> names = new ArrayList<>(List.of(COMPLETE));
        if (anyPruned) {
            names.add(PRUNED);
        }
        boolean logScore = logScale(records);
        List<LineChart> panels = new ArrayList<>();
        List<SearchSpace.Dimension> dims = space.dimensions();
        for (int i = 0; i < dims.size(); i++) {
            SearchSpace.Dimension d = dims.get(i);
            LineChart chart = new LineChart("score against " + d.name(), axisLabel(d), "score").logY(logScore)
                    .logX(d.distribution() instanceof Distribution.Uniform u && u.log())
                    .integerX(!(d.distribution() instanceof Distribution.Uniform));
            int dim = i;
            addPoints(chart, COMPLETE, records, r -> r.state() == TrialState.COMPLETE, r -> r.values()[dim]);
            if (anyPruned) {
                addPoints(chart, PRUNED, records, r -> r.state() == TrialState.PRUNED, r -> r.values()[dim]);
            }
            panels.add(chart);
        }
        double[][] bestSoFar = bestSoFar(records);
        LineChart progress = new LineChart("best score so far", "trial", "score").logY(logScore).integerX(true);
        addPoints(progress, COMPLETE, records, r -> r.state() == TrialState.COMPLETE, r -> r.number());
        if (anyPruned) {
            addPoints(progress, PRUNED, records, r -> r.state() == TrialState.PRUNED, r -> r.number());
        }
        progress.add(BEST_SO_FAR, bestSoFar[0], bestSoFar[1]);
        List<String> progressNames = new ArrayList<>(names);
        progressNames.add(BEST_SO_FAR);
        int[] dots = anyPruned ? new int[] {0, 1} : new int[] {0};
        String pruned = anyPruned ? " Pruned trials show the score they last reported, at fewer epochs or steps than the others." : "";
        return List.of(
                new Chart("params", "Score against each hyperparameter",
                        "One dot per trial, lower is better; loguniform dimensions on a logarithmic axis, failed trials left out."
                                + pruned, CompareReport.grid(new Legend(names).dots(dots), panels)),
                new Chart("progress", "Best score so far",
                        "The lowest score of the completed trials up to each trial number, with every trial's score." + pruned,
                        CompareReport.grid(new Legend(progressNames).dots(dots), List.of(progress))));
    }

    /** The dimension's name; for a choice, the option at each index too, since the chart places options at their index. */
    private static String axisLabel(SearchSpace.Dimension d) {
        if (!(d.distribution() instanceof Distribution.Choice c)) {
            return d.name();
        }
        StringBuilder b = new StringBuilder(d.name()).append(':');
        for (int i = 0; i < c.options().size(); i++) {
            Object o = c.options().get(i);
            b.append(i == 0 ? " " : ", ").append(i).append(" = ").append(o instanceof String s ? s : Spec.render(o));
        }
        return b.toString();
    }

    /**
     * The best score so far as a staircase: from the first completed trial, level until a trial does better, down
     * at that trial's number, on to the last trial.
     */
    static double[][] bestSoFar(List<TrialRecord> records) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (TrialRecord r : records) {
            if (r.state() == TrialState.COMPLETE && r.score() < best) {
                if (!y.isEmpty()) {
                    x.add((double) r.number());
                    y.add(best);
                }
                best = r.score();
                x.add((double) r.number());
                y.add(best);
            }
        }
        int last = records.isEmpty() ? 0 : records.get(records.size() - 1).number();
        if (!y.isEmpty() && x.get(x.size() - 1) < last) {
            x.add((double) last);
            y.add(best);
        }
        return new double[][] {x.stream().mapToDouble(Double::doubleValue).toArray(), y.stream().mapToDouble(Double::doubleValue).toArray()};
    }

    /** A logarithmic score axis when the scores are positive and span more than two decades. */
    private static boolean logScale(List<TrialRecord> records) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (TrialRecord r : records) {
            if (Double.isFinite(r.score())) {
                lo = Math.min(lo, r.score());
                hi = Math.max(hi, r.score());
            }
        }
        return lo > 0 && hi / lo > 100;
    }

    private static void addPoints(LineChart chart, String name, List<TrialRecord> records, Predicate<TrialRecord> which,
            ToDoubleFunction<TrialRecord> x) {
        List<TrialRecord> chosen = records.stream().filter(which).filter(r -> !Double.isNaN(r.score())).toList();
        chart.addPoints(name, chosen.stream().mapToDouble(x).toArray(), chosen.stream().mapToDouble(TrialRecord::score).toArray());
    }

    /** The report page. */
    static String html(Setup setup, List<TrialRecord> records, List<Chart> charts, List<byte[]> pngs) {
        SearchSpace space = setup.space();
        long complete = records.stream().filter(r -> r.state() == TrialState.COMPLETE).count();
        long pruned = records.stream().filter(r -> r.state() == TrialState.PRUNED).count();
        long failed = records.stream().filter(r -> r.state() == TrialState.FAILED).count();
        Html h = new Html("descent tune: " + space.text());
        h.raw("<h1>Hyperparameter search</h1>\n<p class=\"setup\">Space <code>");
        h.text(space.text());
        h.raw("</code> on ");
        h.text(setup.setup() + " (lower is better). Sampler " + setup.sampler() + ", pruner "
                + setup.pruner() + "; " + records.size() + " trials (" + complete + " complete, " + pruned + " pruned, " + failed
                + " failed), " + setup.jobs() + " at a time, in " + TrainingComparison.duration(setup.seconds()) + ".");
        h.raw("</p>\n<h2>Best trial</h2>\n");
        Optional<TrialRecord> best = Study.best(records);
        if (best.isEmpty()) {
            h.raw("<p class=\"best failed\">No trial completed.</p>\n");
        } else {
            TrialRecord b = best.get();
            h.raw("<p class=\"best\">Trial " + b.number() + ", score ");
            h.text(TuneCommand.score(b));
            h.raw(": <code>");
            h.text(b.spec());
            h.raw("</code></p>\n");
        }
        CompareReport.figures(h, charts, pngs);
        h.raw("<h2>Trials</h2>\n<table class=\"trials\">\n<thead><tr><th>trial</th><th>state</th><th>score</th><th>");
        h.text(setup.units().name());
        h.raw("</th>");
        for (SearchSpace.Dimension d : space.dimensions()) {
            h.raw("<th>");
            h.text(d.name());
            h.raw("</th>");
        }
        h.raw("<th>seconds</th><th>note</th></tr></thead>\n<tbody>\n");
        TrialRecord bestRecord = best.orElse(null);
        for (TrialRecord r : records) {
            String cls = r == bestRecord ? "best" : r.state() == TrialState.FAILED ? "failed" : r.state() == TrialState.PRUNED ? "pruned" : "";
            h.raw("<tr" + (cls.isEmpty() ? "" : " class=\"" + cls + "\"") + "><td>" + r.number() + "</td><td>" + r.state().id() + "</td><td>");
            h.text(TuneCommand.score(r).isEmpty() ? "–" : TuneCommand.score(r));
            h.raw("</td><td>" + setup.units().run(r) + "</td>");
            for (String p : TuneCommand.params(space, r)) {
                h.raw("<td class=\"name\">");
                h.text(p);
                h.raw("</td>");
            }
            h.raw("<td>");
            h.text(CompareReport.fmt(r.seconds(), 2));
            h.raw("</td><td class=\"note\">");
            h.text(r.reason() == null ? "" : r.reason());
            h.raw("</td></tr>\n");
        }
        h.raw("</tbody>\n</table>\n<p class=\"note\">results.csv holds the same table with each trial's spec; study.jsonl every "
                + "reported score, from which a rerun with the same options resumes.</p>\n");
        return h.finish();
    }
}
