package dev.descent.lab;

import dev.descent.data.DataDirs;
import dev.descent.data.DataSpecs;
import dev.descent.data.MnistFamily;
import dev.descent.lab.plot.Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code descent compare} on a training task: the output folder, the report, failures, --force and determinism. */
class TrainingCompareTest {
    /** A small task that trains in a fraction of a second per run. */
    static final String[] TINY = {"--data", "blobs(n=240, classes=3, dims=4, std=2.0)", "--model", "mlp(hidden=[8])",
            "--epochs", "2", "--batch-size", "16"};

    static Invocation compare(Path out, String optimizers, String... more) {
        List<String> args = new ArrayList<>(List.of("compare", "--optimizers", optimizers, "--out", out.toString()));
        args.addAll(List.of(TINY));
        args.addAll(List.of(more));
        return Invocation.of(args.toArray(String[]::new));
    }

    @Test
    void writesRunFoldersResultsChartsAndReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("cmp");
        Invocation run = compare(out, "sgd(lr=0.1); adam(lr=0.01)", "--seeds", "2");
        assertEquals(0, run.exitCode(), run::toString);

        List<String> table = run.outLines();
        assertTrue(table.get(0).matches("optimizer +test_acc +test_acc_sd +test_loss +epoch_s +epochs_to_\\d\\.\\d\\d +runs"), table.get(0));
        assertEquals(3, table.size(), run::toString);
        assertTrue(table.get(1).startsWith("sgd(lr=0.1) ") && table.get(1).endsWith("2 ok"), table.get(1));
        assertTrue(run.err().contains("[4/4] adam(lr=0.01) seed 1 epoch 2/2: train_loss="), run::toString);
        assertTrue(run.err().contains("left"), run::toString);

        List<String> results = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(List.of("run", "optimizer", "seed", "final_test_accuracy", "final_test_loss", "median_epoch_seconds", "status"),
                List.of(results.get(0).split(",")));
        assertEquals(5, results.size());
        String[] names = {"01-sgd-seed0", "01-sgd-seed1", "02-adam-seed0", "02-adam-seed1"};
        for (int i = 0; i < names.length; i++) {
            String[] row = results.get(i + 1).split(",", -1);
            assertEquals(7, row.length, results.get(i + 1));
            assertEquals(names[i], row[0]);
            assertEquals(i < 2 ? "sgd(lr=0.1)" : "adam(lr=0.01)", row[1]);
            assertEquals(Integer.toString(i % 2), row[2]);
            double accuracy = Double.parseDouble(row[3]);
            assertTrue(accuracy >= 0 && accuracy <= 1, row[3]);
            assertTrue(Double.parseDouble(row[4]) > 0, row[4]);
            assertTrue(Double.parseDouble(row[5]) > 0, row[5]);
            assertEquals("ok", row[6]);

            Path folder = out.resolve(names[i]);
            List<String> history = Files.readAllLines(folder.resolve("history.csv"));
            assertEquals("epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds", history.get(0));
            assertEquals(3, history.size());
            assertEquals(row[3], history.get(2).split(",")[4], "the final accuracy is the last epoch's");
            String summary = Files.readString(folder.resolve("summary.json"));
            for (String key : List.of("optimizer", "model", "data", "seed", "epochs", "batch_size", "final_test_accuracy",
                    "final_test_loss", "median_epoch_seconds", "samples_per_second", "status")) {
                assertTrue(summary.contains("\"" + key + "\""), key + " in " + summary);
            }
            assertTrue(summary.contains("\"status\": \"ok\""), summary);
        }
        for (String chart : List.of("epochs", "time", "lr")) {
            BufferedImage png = Images.png(Files.readAllBytes(out.resolve(chart + ".png")));
            assertTrue(Images.colours(png) > 50, chart + ".png has " + Images.colours(png) + " colours");
            assertTrue(Images.hasColour(png, 0x0072B2, 30) && Images.hasColour(png, 0xD55E00, 30), chart + ".png draws both optimizers");
            assertTrue(Images.svgPaths(Files.readAllBytes(out.resolve(chart + ".svg"))) > 2, chart + ".svg");
        }

        Document report = parse(out.resolve("report.html"));
        assertEquals("Optimizer comparison", report.getElementsByTagName("h1").item(0).getTextContent());
        Element results0 = table(report, "results");
        List<Element> rows = rows(results0);
        assertEquals(2, rows.size());
        assertEquals("sgd(lr=0.1)", cells(rows.get(0)).get(0));
        assertEquals("2 ok", cells(rows.get(0)).get(1));
        assertTrue(cells(rows.get(1)).get(2).matches("0\\.\\d{4} ± 0\\.\\d{4} \\(0\\.\\d{4}–[01]\\.\\d{4}\\)"), cells(rows.get(1)).get(2));
        assertEquals(4, rows(table(report, "runs")).size());
        List<Element> images = images(report);
        assertEquals(3, images.size(), "three charts");
        for (Element img : images) {
            String src = img.getAttribute("src");
            assertTrue(src.startsWith("data:image/png;base64,"), "embedded: " + src.substring(0, Math.min(40, src.length())));
            Images.png(Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1)));
        }
        String html = Files.readString(out.resolve("report.html"));
        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(html.matches("(?s).*(src|href)=\"(https?:)?//.*"), "nothing from the network");
        assertFalse(html.contains("Failed runs"));
    }

    @Test
    void marksRunsThatDivergeAsFailedAndGoesOn(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("cmp");
        Invocation run = compare(out, "sgd(lr=0.1); sgd(lr=1e30)", "--seeds", "1");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.err().contains("[2/2] sgd(lr=1e30) seed 0 failed: loss is"), run::toString);
        assertTrue(run.err().contains("(1 failed)"), run::toString);
        assertTrue(run.outLines().get(2).matches("sgd\\(lr=1e30\\) +- +- +- .* 0 ok, 1 failed"), run.outLines().get(2));

        List<String> results = Files.readAllLines(out.resolve("results.csv"));
        assertTrue(results.get(1).endsWith(",ok"), results.get(1));
        assertTrue(results.get(2).startsWith("02-sgd-seed0,sgd(lr=1e30),0,") && results.get(2).endsWith(",failed"), results.get(2));
        String summary = Files.readString(out.resolve("02-sgd-seed0/summary.json"));
        assertTrue(summary.contains("\"status\": \"failed\"") && summary.contains("\"reason\": \"loss is"), summary);

        Document report = parse(out.resolve("report.html"));
        List<Element> rows = rows(table(report, "results"));
        assertEquals("", rows.get(0).getAttribute("class").replace("best", ""));
        assertEquals("failed", rows.get(1).getAttribute("class"));
        assertEquals("0 ok, 1 failed", cells(rows.get(1)).get(1));
        assertEquals("failed", rows(table(report, "runs")).get(1).getAttribute("class"));
        NodeList items = report.getElementsByTagName("li");
        assertEquals(1, items.getLength());
        assertTrue(items.item(0).getTextContent().startsWith("02-sgd-seed0 sgd(lr=1e30), seed 0: loss is"), items.item(0).getTextContent());
        assertEquals(3, images(report).size(), "the charts are drawn with the failed run in them");
    }

    @Test
    void refusesAFolderThatIsNotEmptyUnlessForced(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("cmp");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        Invocation refused = compare(out, "adam(lr=0.01)", "--seeds", "1");
        assertEquals(2, refused.exitCode(), refused::toString);
        assertEquals("", refused.out());
        assertEquals(1, refused.errLines().size(), refused::toString);
        assertTrue(refused.err().contains("the folder is not empty; give another folder, or --force"), refused::toString);
        assertFalse(Files.exists(out.resolve("results.csv")));

        Invocation forced = compare(out, "adam(lr=0.01)", "--seeds", "1", "--force");
        assertEquals(0, forced.exitCode(), forced::toString);
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        assertEquals(2, Files.readAllLines(out.resolve("results.csv")).size());
        Invocation again = compare(out, "adam(lr=0.01)", "--seeds", "1", "--force");
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(3, Files.readAllLines(out.resolve("01-adam-seed0/history.csv")).size());
    }

    @Test
    void refusesAnOutputThatIsAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        Invocation run = compare(file, "adam(lr=0.01)");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("", run.out());
        assertTrue(run.err().contains("--out " + file + ": is a file"), run::toString);
        Invocation below = compare(file.resolve("sub"), "adam(lr=0.01)");
        assertEquals(2, below.exitCode(), below::toString);
        assertTrue(below.err().contains("is a file, not a folder"), below::toString);
    }

    @Test
    void theSameSeedsGiveTheSameResultsWhateverTheJobs(@TempDir Path dir) throws Exception {
        Invocation one = compare(dir.resolve("one"), "sgd(lr=0.1); nag(lr=0.05); adam(lr=0.01)", "--seeds", "2", "--jobs", "1");
        Invocation two = compare(dir.resolve("two"), "sgd(lr=0.1); nag(lr=0.05); adam(lr=0.01)", "--seeds", "2", "--jobs", "2");
        assertEquals(0, one.exitCode(), one::toString);
        assertEquals(0, two.exitCode(), two::toString);
        List<String> a = withoutTimes(Files.readAllLines(dir.resolve("one/results.csv")));
        List<String> b = withoutTimes(Files.readAllLines(dir.resolve("two/results.csv")));
        assertEquals(7, a.size());
        assertEquals(a, b);
        assertFalse(a.get(1).equals(a.get(2).replace("seed1", "seed0").replace(",1,", ",0,")), "seeds differ from one another");
    }

    @Test
    void leavesAccuracyOutOfARegressionComparison(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("cmp");
        Invocation run = Invocation.of("compare", "--data", "linear(n=200)", "--model", "linreg()", "--optimizers",
                "sgd(lr=0.01); adam(lr=0.01)", "--seeds", "1", "--epochs", "2", "--out", out.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.outLines().get(0).matches("optimizer +test_loss +epoch_s +runs"), run.outLines().get(0));
        assertTrue(Files.readAllLines(out.resolve("results.csv")).get(1).matches("01-sgd-seed0,sgd\\(lr=0.01\\),0,,[0-9.E-]+,[0-9.E-]+,ok"));
        Document report = parse(out.resolve("report.html"));
        assertEquals(4, cells(rows(table(report, "results")).get(0)).size(), "optimizer, runs, loss, s / epoch");
        assertEquals(3, images(report).size());
    }

    @Test
    void fallsBackToASyntheticTaskWithoutFashionMnist(@TempDir Path dir) throws Exception {
        DataDirs empty = new DataDirs(dir.resolve("data"), dir.resolve("home"), dir.resolve("system"));
        assertEquals(CompareCommand.SYNTHETIC_DATA, CompareCommand.defaultData(empty));
        Path installed = Files.createDirectories(dir.resolve("data/fashion-mnist"));
        for (String file : MnistFamily.FILES) {
            Files.writeString(installed.resolve(file), "");
        }
        assertEquals("fashion-mnist", CompareCommand.defaultData(empty));
        assertFalse(CompareCommand.FALLBACK_HINT.contains("\n"));
        assertTrue(CompareCommand.FALLBACK_HINT.contains("apt-get install dataset-fashion-mnist"));
        assertTrue(DataSpecs.load(CompareCommand.SYNTHETIC_DATA).train().isClassification(), "the fallback is a valid data spec");
    }

    /** results.csv without its median_epoch_seconds column. */
    private static List<String> withoutTimes(List<String> lines) {
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(",", -1);
            kept.add(String.join(",", f[0], f[1], f[2], f[3], f[4], f[6]));
        }
        return kept;
    }

    // ----- reading the report -----

    /** Parses report.html, which is written as well-formed XML (polyglot HTML). */
    static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    static List<Element> images(Document doc) {
        return elements(doc.getDocumentElement(), "img");
    }

    static Element table(Document doc, String cssClass) {
        for (Element t : elements(doc.getDocumentElement(), "table")) {
            if (t.getAttribute("class").equals(cssClass)) {
                return t;
            }
        }
        throw new AssertionError("no table of class " + cssClass);
    }

    static List<Element> rows(Element table) {
        return elements((Element) table.getElementsByTagName("tbody").item(0), "tr");
    }

    static List<String> cells(Element row) {
        return elements(row, "td").stream().map(Element::getTextContent).toList();
    }

    private static List<Element> elements(Element root, String tag) {
        NodeList list = root.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }
}
