package dev.descent.lab;

import dev.descent.lab.TrainingComparison.Outcome;
import dev.descent.lab.plot.Figure;
import dev.descent.lab.plot.ImageFormat;
import dev.descent.lab.plot.Legend;
import dev.descent.lab.plot.LineChart;
import dev.descent.train.EpochResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What {@code descent compare} writes at the end of a training comparison: {@code results.csv}, the charts as
 * PNG and SVG, and {@code report.html}, a page that opens offline (inline styles, charts embedded as base64 PNG,
 * no scripts) with the setup, a table per optimizer (mean and spread over seeds), the charts, and every run.
 */
final class CompareReport {
    /** The header of {@code results.csv}. */
    static final String RESULTS_HEADER = "run,optimizer,seed,final_test_accuracy,final_test_loss,median_epoch_seconds,status";
    private static final int PANEL_WIDTH = 640;
    private static final int PANEL_HEIGHT = 430;

    /**
     * The comparison's setting, for the report's header.
     *
     * @param data       the data set's spec
     * @param dataNote   what was loaded (sizes), or a note about the fallback
     * @param model      the model spec
     * @param epochs     epochs per run
     * @param batchSize  the batch size
     * @param seeds      seeds per optimizer
     * @param schedule   the schedule spec, or null
     * @param groups     the parameter-group rules ({@code --group}), in order; empty for one group
     * @param target     the test accuracy whose first epoch the table reports
     * @param targetNote how the target was chosen
     * @param jobs       runs at a time
     * @param seconds    the comparison's wall time
     */
    record Setup(String data, String dataNote, String model, int epochs, int batchSize, int seeds, String schedule,
            List<String> groups, double target, String targetNote, int jobs, double seconds) {
    }

    /**
     * One optimizer's runs summed up over seeds.
     *
     * @param optimizer  the spec
     * @param outcomes   its runs
     * @param ok         the runs that completed
     * @param accuracy   mean, sample standard deviation, min and max of the final test accuracy of ok runs (NaN when none)
     * @param loss       the same for the final test loss
     * @param epochSeconds the median of the runs' median epoch seconds
     * @param reached    how many runs reached the target
     * @param epochsToTarget mean first epoch at the target over the runs that reached it
     * @param secondsToTarget mean training seconds up to that epoch
     */
    record Row(String optimizer, List<Outcome> outcomes, List<Outcome> ok, double[] accuracy, double[] loss,
            double epochSeconds, int reached, double epochsToTarget, double secondsToTarget) {
        int failed() {
            return outcomes.size() - ok.size();
        }
    }

    private CompareReport() {
    }

    /** {@code results.csv}: one row per run in plan order. */
    static String resultsCsv(List<Outcome> outcomes) {
        StringBuilder b = new StringBuilder(RESULTS_HEADER).append('\n');
        for (Outcome o : outcomes) {
            b.append(o.run().name()).append(',').append(Csv.field(o.run().optimizer())).append(',').append(o.run().seed())
                    .append(',').append(number(o.result().finalTestAccuracy())).append(',')
                    .append(number(o.result().finalTestLoss())).append(',').append(number(o.result().medianEpochSeconds()))
                    .append(',').append(o.result().status()).append('\n');
        }
        return b.toString();
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    /** The rows of the table, one per optimizer in the order given. */
    static List<Row> rows(List<String> optimizers, List<Outcome> outcomes, double target) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < optimizers.size(); i++) {
            int index = i;
            List<Outcome> mine = outcomes.stream().filter(o -> o.run().index() == index).toList();
            List<Outcome> ok = mine.stream().filter(Outcome::ok).toList();
            double[] acc = stats(ok.stream().mapToDouble(o -> o.result().finalTestAccuracy()).toArray());
            double[] loss = stats(ok.stream().mapToDouble(o -> o.result().finalTestLoss()).toArray());
            double epochSeconds = median(mine.stream().mapToDouble(o -> o.result().medianEpochSeconds())
                    .filter(v -> !Double.isNaN(v)).toArray());
            int reached = 0;
            double epochSum = 0;
            double secondSum = 0;
            for (Outcome o : mine) {
                double seconds = 0;
                for (EpochResult e : o.result().history()) {
                    seconds += e.seconds();
                    if (e.testAcc() >= target) {
                        reached++;
                        epochSum += e.epoch();
                        secondSum += seconds;
                        break;
                    }
                }
            }
            rows.add(new Row(optimizers.get(i), mine, ok, acc, loss, epochSeconds, reached,
                    reached == 0 ? Double.NaN : epochSum / reached, reached == 0 ? Double.NaN : secondSum / reached));
        }
        return rows;
    }

    /** Mean, sample standard deviation (0 for one value), min and max; all NaN for no values. */
    static double[] stats(double[] xs) {
        if (xs.length == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        double mean = Arrays.stream(xs).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : xs) {
            ss += (x - mean) * (x - mean);
        }
        double sd = xs.length > 1 ? Math.sqrt(ss / (xs.length - 1)) : 0;
        return new double[] {mean, sd, Arrays.stream(xs).min().orElse(Double.NaN), Arrays.stream(xs).max().orElse(Double.NaN)};
    }

    static double median(double[] xs) {
        if (xs.length == 0) {
            return Double.NaN;
        }
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    // ----- charts -----

    /** A chart file: its base name and the figure. */
    record Chart(String file, String title, String caption, Figure figure) {
    }

    /**
     * The charts of the report: loss and accuracy per epoch, the same against training time, and the learning rate
     * of each run; without {@code accuracy} (regression) the loss charts only.
     */
    static List<Chart> charts(List<Row> rows, boolean accuracy) {
        List<String> names = new ArrayList<>();
        for (Row r : rows) {
            names.add(legendName(r));
        }
        List<LineChart> perEpoch = new ArrayList<>(List.of(
                curve("training loss per epoch", "epoch", "loss", rows, EpochResult::trainLoss, false),
                curve("test loss per epoch", "epoch", "loss", rows, EpochResult::testLoss, false)));
        List<LineChart> perSecond = new ArrayList<>(List.of(
                curve("training loss against time", "training seconds", "loss", rows, EpochResult::trainLoss, true),
                curve("test loss against time", "training seconds", "loss", rows, EpochResult::testLoss, true)));
        if (accuracy) {
            perEpoch.add(curve("training accuracy per epoch", "epoch", "accuracy", rows, EpochResult::trainAcc, false));
            perEpoch.add(curve("test accuracy per epoch", "epoch", "accuracy", rows, EpochResult::testAcc, false));
            perSecond.add(curve("training accuracy against time", "training seconds", "accuracy", rows, EpochResult::trainAcc, true));
            perSecond.add(curve("test accuracy against time", "training seconds", "accuracy", rows, EpochResult::testAcc, true));
        }
        String what = accuracy ? "Loss and accuracy" : "Loss";
        List<Chart> charts = new ArrayList<>();
        charts.add(new Chart("epochs", what + " per epoch",
                "Mean over the seeds of each optimizer (failed runs left out). Training metrics are averaged over each "
                        + "epoch's pass with dropout on; test metrics are measured after it in evaluation mode.",
                grid(names, perEpoch)));
        charts.add(new Chart("time", what + " against training time",
                "The same means placed at the training seconds spent up to each epoch (training passes only, no evaluation).",
                grid(names, perSecond)));
        charts.add(new Chart("lr", "Learning rate of each run",
                "The rate each epoch's last step used; seeds whose rates agree share one line, and optimizers at the same "
                        + "rate draw over one another.", lrFigure(rows)));
        return charts;
    }

    private static String legendName(Row r) {
        return r.optimizer() + (r.ok().isEmpty() ? " (failed)" : r.failed() > 0 ? " (" + r.failed() + " failed)" : "");
    }

    /** The panels two to a row (one when there is one), without their own legends, above one legend for all. */
    static Figure grid(List<String> names, List<LineChart> panels) {
        return grid(new Legend(names), panels);
    }

    /** The panels two to a row (one when there is one), without their own legends, above the given legend. */
    static Figure grid(Legend legend, List<LineChart> panels) {
        int columns = Math.min(2, panels.size());
        int width = columns * PANEL_WIDTH;
        int legendHeight = legend.height(width);
        int gridRows = (panels.size() + columns - 1) / columns;
        Figure f = new Figure(width, gridRows * PANEL_HEIGHT + legendHeight);
        for (int i = 0; i < panels.size(); i++) {
            f.place(panels.get(i).legend(false).yAxisWidth(60), (i % columns) * PANEL_WIDTH, (i / columns) * PANEL_HEIGHT,
                    PANEL_WIDTH, PANEL_HEIGHT);
        }
        return f.place(legend, 0, gridRows * PANEL_HEIGHT, width, legendHeight);
    }

    /** Mean of {@code metric} per epoch over each optimizer's runs, against epoch or cumulative training seconds. */
    private static LineChart curve(String title, String xLabel, String yLabel, List<Row> rows, ToDoubleFunction<EpochResult> metric,
            boolean againstTime) {
        LineChart chart = new LineChart(title, xLabel, yLabel).markers(true).integerX(!againstTime);
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        List<double[][]> series = new ArrayList<>();
        for (Row r : rows) {
            List<Outcome> runs = r.ok().isEmpty() ? r.outcomes() : r.ok();
            int epochs = runs.stream().mapToInt(o -> o.result().history().size()).max().orElse(0);
            double[] x = new double[epochs];
            double[] y = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                double sx = 0;
                double sy = 0;
                int n = 0;
                for (Outcome o : runs) {
                    List<EpochResult> h = o.result().history();
                    if (h.size() > e) {
                        double seconds = 0;
                        for (int k = 0; k <= e; k++) {
                            seconds += h.get(k).seconds();
                        }
                        sx += againstTime ? seconds : e + 1;
                        sy += metric.applyAsDouble(h.get(e));
                        n++;
                    }
                }
                x[e] = sx / n;
                y[e] = sy / n;
                if (y[e] > 0 && Double.isFinite(y[e])) {
                    lo = Math.min(lo, y[e]);
                    hi = Math.max(hi, y[e]);
                }
            }
            series.add(new double[][] {x, y});
        }
        chart.logY(hi / lo > 100);
        for (int i = 0; i < rows.size(); i++) {
            chart.add(legendName(rows.get(i)), series.get(i)[0], series.get(i)[1]);
        }
        return chart;
    }

    private static Figure lrFigure(List<Row> rows) {
        LineChart chart = new LineChart("learning rate per epoch", "epoch", "learning rate").markers(true).integerX(true).legend(false);
        List<String> names = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        List<double[][]> series = new ArrayList<>();
        for (Row r : rows) {
            List<double[]> distinct = new ArrayList<>();
            List<List<Long>> seedsOf = new ArrayList<>();
            for (Outcome o : r.outcomes()) {
                double[] lr = o.result().history().stream().mapToDouble(EpochResult::lr).toArray();
                int found = -1;
                for (int k = 0; k < distinct.size(); k++) {
                    found = Arrays.equals(distinct.get(k), lr) ? k : found;
                }
                if (found < 0) {
                    distinct.add(lr);
                    seedsOf.add(new ArrayList<>());
                    found = distinct.size() - 1;
                }
                seedsOf.get(found).add(o.run().seed());
            }
            for (int k = 0; k < distinct.size(); k++) {
                double[] lr = distinct.get(k);
                double[] epochs = new double[lr.length];
                for (int e = 0; e < lr.length; e++) {
                    epochs[e] = e + 1;
                    if (lr[e] > 0) {
                        lo = Math.min(lo, lr[e]);
                        hi = Math.max(hi, lr[e]);
                    }
                }
                series.add(new double[][] {epochs, lr});
                names.add(r.optimizer() + (distinct.size() == 1 ? "" : " seed" + (seedsOf.get(k).size() == 1 ? " " : "s ")
                        + seedsOf.get(k).stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("")));
            }
        }
        chart.logY(hi / lo >= 10);
        for (int i = 0; i < series.size(); i++) {
            chart.add(names.get(i), series.get(i)[0], series.get(i)[1]);
        }
        Legend legend = new Legend(names);
        int width = PANEL_WIDTH * 3 / 2;
        int legendHeight = legend.height(width);
        return new Figure(width, PANEL_HEIGHT + legendHeight).place(chart, 0, 0, width, PANEL_HEIGHT)
                .place(legend, 0, PANEL_HEIGHT, width, legendHeight);
    }

    /** Writes each chart as {@code <file>.png} and {@code <file>.svg} into {@code dir}; returns the PNG bytes of each. */
    static List<byte[]> writeCharts(Path dir, List<Chart> charts) {
        List<byte[]> pngs = new ArrayList<>();
        for (Chart c : charts) {
            byte[] png = bytes(c.figure(), ImageFormat.PNG);
            AtomicFile.writeBytes(dir.resolve(c.file() + ".png"), o -> o.write(png));
            AtomicFile.writeBytes(dir.resolve(c.file() + ".svg"), o -> c.figure().writeTo(o, ImageFormat.SVG));
            pngs.add(png);
        }
        return pngs;
    }

    static byte[] bytes(Figure figure, ImageFormat format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            figure.writeTo(out, format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ----- HTML -----

    /** The report page. */
    static String html(Setup setup, List<Row> rows, List<Outcome> outcomes, List<Chart> charts, List<byte[]> pngs) {
        Html h = new Html("descent compare: " + setup.data() + ", " + setup.model());
        h.raw("<h1>Optimizer comparison</h1>\n<p class=\"setup\">");
        h.text(setup.model() + " on " + setup.data() + " (" + setup.dataNote() + "); " + setup.epochs() + " epochs of batch "
                + setup.batchSize() + ", " + setup.seeds() + (setup.seeds() == 1 ? " seed" : " seeds") + " per optimizer"
                + (setup.schedule() == null ? "" : ", schedule " + setup.schedule())
                + (setup.groups().isEmpty() ? "" : ", parameter groups " + String.join("; ", setup.groups()))
                + "; " + outcomes.size() + " runs, "
                + setup.jobs() + " at a time, in " + TrainingComparison.duration(setup.seconds()) + ".");
        h.raw("</p>\n<h2>Results</h2>\n");
        boolean accuracy = !Double.isNaN(setup.target());
        if (accuracy) {
            h.raw("<p>Final test accuracy and loss: mean ± standard deviation over the seeds that completed (min–max below). "
                    + "Target: test accuracy ");
            h.text(fmt(setup.target(), 2) + " (" + setup.targetNote() + ")");
            h.raw("; epochs and training seconds to reach it are means over the runs that reached it.</p>\n");
        } else {
            h.raw("<p>Final test loss: mean ± standard deviation over the seeds that completed (min–max below).</p>\n");
        }
        h.raw("<table class=\"results\">\n<thead><tr><th>optimizer</th><th>runs</th>" + (accuracy ? "<th>test accuracy</th>" : "")
                + "<th>test loss</th><th>s / epoch</th>" + (accuracy ? "<th>epochs to target</th><th>seconds to target</th>" : "")
                + "</tr></thead>\n<tbody>\n");
        double bestAcc = rows.stream().mapToDouble(r -> r.accuracy()[0]).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
        for (Row r : rows) {
            boolean best = !Double.isNaN(bestAcc) && r.accuracy()[0] == bestAcc;
            h.raw("<tr" + (r.failed() > 0 ? " class=\"failed\"" : best ? " class=\"best\"" : "") + "><td class=\"name\">");
            h.text(r.optimizer());
            h.raw("</td><td>");
            h.text(r.ok().size() + " ok" + (r.failed() > 0 ? ", " + r.failed() + " failed" : ""));
            if (accuracy) {
                h.raw("</td><td>");
                h.text(spread(r.accuracy(), 4));
            }
            h.raw("</td><td>");
            h.text(spread(r.loss(), 4));
            h.raw("</td><td>");
            h.text(fmt(r.epochSeconds(), 2));
            if (accuracy) {
                h.raw("</td><td>");
                h.text(r.reached() == 0 ? "not reached" : fmt(r.epochsToTarget(), 1) + " (" + r.reached() + "/" + r.outcomes().size() + ")");
                h.raw("</td><td>");
                h.text(r.reached() == 0 ? "–" : fmt(r.secondsToTarget(), 1));
            }
            h.raw("</td></tr>\n");
        }
        h.raw("</tbody>\n</table>\n");
        List<Outcome> failed = outcomes.stream().filter(o -> !o.ok()).toList();
        if (!failed.isEmpty()) {
            h.raw("<h2 class=\"failed\">Failed runs</h2>\n<ul class=\"failures\">\n");
            for (Outcome o : failed) {
                h.raw("<li class=\"failed\"><b>");
                h.text(o.run().name());
                h.raw("</b> ");
                h.text(o.run().optimizer() + ", seed " + o.run().seed() + ": " + o.result().reason());
                h.raw("</li>\n");
            }
            h.raw("</ul>\n");
        }
        figures(h, charts, pngs);
        h.raw("<h2>Runs</h2>\n<table class=\"runs\">\n<thead><tr><th>run</th><th>optimizer</th><th>seed</th>"
                + "<th>test accuracy</th><th>test loss</th><th>median s / epoch</th><th>status</th></tr></thead>\n<tbody>\n");
        for (Outcome o : outcomes) {
            h.raw("<tr" + (o.ok() ? "" : " class=\"failed\"") + "><td class=\"name\"><a href=\"" + o.run().name()
                    + "/history.csv\">");
            h.text(o.run().name());
            h.raw("</a></td><td class=\"name\">");
            h.text(o.run().optimizer());
            h.raw("</td><td>" + o.run().seed() + "</td><td>");
            h.text(fmt(o.result().finalTestAccuracy(), 4));
            h.raw("</td><td>");
            h.text(fmt(o.result().finalTestLoss(), 4));
            h.raw("</td><td>");
            h.text(fmt(o.result().medianEpochSeconds(), 2));
            h.raw("</td><td>");
            h.text(o.ok() ? "ok" : "failed");
            h.raw("</td></tr>\n");
        }
        h.raw("</tbody>\n</table>\n<p class=\"note\">Each run's folder holds history.csv (one row per epoch) and summary.json; "
                + "results.csv lists every run.</p>\n");
        return h.finish();
    }

    /**
     * Adds each chart under its own heading, embedded as a PNG data URI (the page works offline and alone), with its
     * caption and links to the PNG and SVG files beside the page.
     */
    static void figures(Html h, List<Chart> charts, List<byte[]> pngs) {
        for (int i = 0; i < charts.size(); i++) {
            Chart c = charts.get(i);
            h.raw("<h2>");
            h.text(c.title());
            h.raw("</h2>\n<figure class=\"chart\"><img alt=\"");
            h.text(c.title());
            h.raw("\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(pngs.get(i)) + "\" width=\""
                    + c.figure().width() + "\"/><figcaption>");
            h.text(c.caption());
            h.raw(" Also as <a href=\"" + c.file() + ".png\">" + c.file() + ".png</a> and <a href=\"" + c.file() + ".svg\">"
                    + c.file() + ".svg</a>.</figcaption></figure>\n");
        }
    }

    private static String spread(double[] s, int digits) {
        if (Double.isNaN(s[0])) {
            return "–";
        }
        return fmt(s[0], digits) + " ± " + fmt(s[1], digits) + " (" + fmt(s[2], digits) + "–" + fmt(s[3], digits) + ")";
    }

    static String fmt(double v, int digits) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /** A minimal HTML page writer: escaped text, raw markup, one inline style sheet. */
    static final class Html {
        private static final String STYLE = """
                body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #222; margin: 24px auto;
                       max-width: 1300px; padding: 0 16px; line-height: 1.45; }
                h1 { font-size: 26px; margin-bottom: 4px; }
                h2 { font-size: 20px; margin-top: 32px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
                table { border-collapse: collapse; font-size: 14px; }
                th, td { padding: 5px 10px; border-bottom: 1px solid #e4e4e4; text-align: right; white-space: nowrap; }
                th { background: #f3f3f3; }
                td.name, th:first-child { text-align: left; font-family: "DejaVu Sans Mono", monospace; }
                tr.best td { background: #e7f3ea; font-weight: bold; }
                tr.failed td, .failed { color: #b3261e; }
                tr.failed td { background: #fbeaea; }
                tr.pruned td { color: #777; }
                code { font-family: "DejaVu Sans Mono", monospace; background: #f5f5f5; padding: 1px 4px; }
                figure.chart { margin: 12px 0; }
                figure.chart img { max-width: 100%; height: auto; border: 1px solid #eee; }
                figcaption, .note, .setup { color: #555; font-size: 14px; }
                """;
        private final StringBuilder b = new StringBuilder();

        Html(String title) {
            b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>");
            text(title);
            b.append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        }

        void raw(String markup) {
            b.append(markup);
        }

        void text(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '<' -> b.append("&lt;");
                    case '>' -> b.append("&gt;");
                    case '&' -> b.append("&amp;");
                    case '"' -> b.append("&quot;");
                    default -> b.append(c);
                }
            }
        }

        String finish() {
            return b.append("</body>\n</html>\n").toString();
        }
    }

}
