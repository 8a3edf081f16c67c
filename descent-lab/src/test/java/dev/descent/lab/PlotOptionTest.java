package dev.descent.lab;

import dev.descent.lab.plot.Images;
import dev.descent.lab.plot.Palette;
import dev.descent.optim.problem.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --plot} on trace and schedule: the picture is written, the CSV is unchanged, bad files exit 2 before any work. */
class PlotOptionTest {
    @Test
    void schedulePlotsTheLearningRateAndLeavesTheCsvAsItWas(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("lr.png");
        String[] args = {"schedule", "--schedule", "steplr(step_size=10, gamma=0.5)", "--steps", "40"};
        Invocation plain = Invocation.of(args);
        Invocation plotted = Invocation.of(concat(args, "--plot", png.toString()));
        assertEquals(0, plotted.exitCode(), plotted::toString);
        assertEquals(plain.out(), plotted.out());
        assertEquals(List.of("descent: wrote " + png), plotted.errLines());
        BufferedImage image = Images.png(Files.readAllBytes(png));
        assertTrue(Images.colours(image) > 10, Images.colours(image) + " colours");
        assertTrue(Images.hasColour(image, Palette.series(0).getRGB(), 8), "the curve is drawn");
    }

    @Test
    void aScheduleThatCyclesMomentumGetsASecondChartAsSvg(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("deep/folder/onecycle.SVG");
        Invocation run = Invocation.of("schedule", "--schedule", "onecyclelr(max_lr=1.0, total_steps=50)", "--optimizer",
                "sgd(lr=0.1, momentum=0.9)", "--steps", "49", "--plot", svg.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(51, run.outLines().size());
        assertTrue(Images.svgPaths(Files.readAllBytes(svg)) > 2);
        Path single = dir.resolve("steplr.svg");
        assertEquals(0, Invocation.of("schedule", "--schedule", "steplr(step_size=10)", "--optimizer", "sgd(lr=0.1, momentum=0.9)",
                "--steps", "49", "--plot", single.toString()).exitCode());
        assertTrue(svgHeight(svg) > svgHeight(single) + 200, "a second chart below the first: " + svgHeight(svg) + " vs "
                + svgHeight(single));
    }

    @Test
    void tracePlotsTheMapAndTheLossWithTheCsvUnchanged(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("paths.png");
        String[] args = {"trace", "--problem", "himmelblau", "--optimizer", "adam(lr=0.1)", "--optimizer", "sgd(lr=0.01)",
            "--steps", "60"};
        Invocation plain = Invocation.of(args);
        Invocation plotted = Invocation.of(concat(args, "--plot", png.toString()));
        assertEquals(0, plotted.exitCode(), plotted::toString);
        assertEquals(plain.out(), plotted.out());
        BufferedImage image = Images.png(Files.readAllBytes(png));
        assertTrue(image.getWidth() > image.getHeight(), "map and loss side by side");
        assertTrue(Images.colours(image) > 100, Images.colours(image) + " colours");
        assertTrue(Images.hasColour(image, Palette.series(0).getRGB(), 8), "the first optimizer's colour");
        assertTrue(Images.hasColour(image, Palette.series(1).getRGB(), 8), "the second optimizer's colour");
    }

    @Test
    void everyProblemPlotsAsSvgAlsoWhenARunDiverges(@TempDir Path dir) throws Exception {
        for (Problem problem : Problem.values()) {
            Path svg = dir.resolve(problem.id() + ".svg");
            Invocation run = Invocation.of("trace", "--problem", problem.id(), "--optimizer", "adam(lr=0.05)", "--optimizer",
                    "sgd(lr=0.3)", "--steps", "30", "--plot", svg.toString(), "--out", dir.resolve(problem.id() + ".csv").toString());
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(Images.svgPaths(Files.readAllBytes(svg)) > 2, problem.id());
        }
    }

    @Test
    void anUnknownImageTypeExitsTwoBeforeAnyWork(@TempDir Path dir) {
        Path jpg = dir.resolve("map.jpg");
        for (String command : List.of("trace", "schedule")) {
            Invocation run = command.equals("trace")
                    ? Invocation.of("trace", "--problem", "beale", "--optimizer", "adam", "--steps", "5", "--plot", jpg.toString())
                    : Invocation.of("schedule", "--schedule", "steplr(step_size=2)", "--steps", "5", "--plot", jpg.toString());
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals("", run.out(), "no CSV");
            assertEquals(List.of("descent: --plot " + jpg + ": unknown image type '.jpg'; name the file .png or .svg"), run.errLines());
        }
        assertFalse(Files.exists(jpg));
    }

    @Test
    void anUnwritablePlotPathExitsTwoBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "a file, not a folder");
        Path inside = file.resolve("map.png");
        Invocation run = Invocation.of("trace", "--problem", "rosenbrock", "--optimizer", "adam", "--steps", "5", "--plot", inside.toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("", run.out());
        assertEquals(List.of("descent: --plot " + inside + ": cannot be written, " + file + " is a file, not a folder"), run.errLines());

        Invocation folder = Invocation.of("schedule", "--schedule", "steplr(step_size=2)", "--steps", "5", "--plot", dir.toString());
        assertEquals(2, folder.exitCode(), folder::toString);
        assertEquals("", folder.out());
        assertEquals(1, folder.errLines().size(), folder::toString);
        assertTrue(folder.err().startsWith("descent: --plot " + dir + ": is a folder"), folder::toString);
    }

    @Test
    void aFourDimensionalProblemGetsTheLossChartOnly(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("quadratic.png");
        Invocation run = Invocation.of("trace", "--problem", "quadratic", "--optimizer", "adam(lr=0.05)", "--steps", "50", "--plot", png.toString());
        assertEquals(0, run.exitCode(), run::toString);
        BufferedImage image = Images.png(Files.readAllBytes(png));
        assertTrue(Images.hasColour(image, Palette.series(0).getRGB(), 8));
        assertFalse(Images.hasColour(image, Palette.sequential(1).getRGB(), 2), "no contour map");
    }

    private static int svgHeight(Path svg) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<svg[^>]* height=\"(\\d+)px\"").matcher(Files.readString(svg));
        assertTrue(m.find(), "the svg element has a height");
        return Integer.parseInt(m.group(1));
    }

    private static String[] concat(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
