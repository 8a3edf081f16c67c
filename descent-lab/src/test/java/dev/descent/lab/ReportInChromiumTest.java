package dev.descent.lab;

import dev.descent.lab.plot.Images;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opens {@code report.html} in headless Chromium, offline, and checks the screenshot: the page renders with its
 * charts (many colours, the series colours drawn over a good part of the page). Skips, saying why, when no
 * {@code chromium} is on the PATH ({@code .ci/run} installs Debian's package).
 */
class ReportInChromiumTest {
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 2000;

    @Test
    void theReportRendersWithItsCharts(@TempDir Path dir) throws Exception {
        Optional<Path> chromium = onPath("chromium");
        Assumptions.assumeTrue(chromium.isPresent(),
                "chromium is not installed, so report.html is not opened in a browser (apt-get install chromium; .ci/run does)");
        Path out = dir.resolve("cmp");
        Invocation run = TrainingCompareTest.compare(out, "sgd(lr=0.1); adam(lr=0.01); sgd(lr=1e30)", "--seeds", "2");
        assertEquals(0, run.exitCode(), run::toString);

        Path shot = dir.resolve("report.png");
        Path profile = Files.createDirectory(dir.resolve("profile"));
        List<String> command = List.of(chromium.get().toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--user-data-dir=" + profile,
                "--screenshot=" + shot, "--window-size=" + WIDTH + "," + HEIGHT, out.resolve("report.html").toUri().toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String log = Files.exists(dir.resolve("chromium.log")) ? Files.readString(dir.resolve("chromium.log")) : "";
        assertTrue(done, "chromium finishes within two minutes; its log:\n" + log);
        assertTrue(Files.isRegularFile(shot), "chromium wrote the screenshot; exit " + p.exitValue() + ", log:\n" + log);

        BufferedImage image = Images.png(Files.readAllBytes(shot));
        assertEquals(WIDTH, image.getWidth());
        assertTrue(Images.colours(image) > 500, "a rendered page, not a blank one: " + Images.colours(image) + " colours");
        int white = 0;
        int seriesBlue = 0;
        int seriesVermillion = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                white += rgb == 0xFFFFFF ? 1 : 0;
                seriesBlue += near(rgb, 0x0072B2) ? 1 : 0;
                seriesVermillion += near(rgb, 0xD55E00) ? 1 : 0;
            }
        }
        double inked = 1 - white / (double) (image.getWidth() * image.getHeight());
        assertTrue(inked > 0.03, "text, tables and charts cover the page: " + inked);
        assertTrue(seriesBlue > 300 && seriesVermillion > 300,
                "the charts' lines are drawn: " + seriesBlue + " blue and " + seriesVermillion + " vermillion pixels");
        assertTrue(Images.hasColour(image, 0xFBEAEA, 2), "the failed run's row is marked");
    }

    private static boolean near(int rgb, int target) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xFF) - ((target >> shift) & 0xFF)) > 24) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
