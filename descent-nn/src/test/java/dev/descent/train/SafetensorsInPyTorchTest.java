package dev.descent.train;

import dev.descent.nn.Model;
import dev.descent.nn.Models;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PyTorch loads the weights the trainer writes: for each model spec, a seeded model with every value (biases
 * too) drawn at random is written as safetensors, loaded by PyTorch 1.13 into the {@code nn.Sequential} the spec
 * stands for with {@code load_state_dict(strict=True)} (so the names and shapes must be PyTorch's), and both
 * run the same batch in evaluation mode: the outputs agree, which they do only if the memory layouts agree
 * too (Linear's {@code out x in}, Conv2d's {@code out x in x kh x kw}, Flatten's channel-major order). Skips
 * with its reason when {@code /usr/bin/python3} cannot import torch (Debian's {@code python3-torch}).
 */
class SafetensorsInPyTorchTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    private record Case(String spec, int[] inputShape, int outputs, String torchModule) {
    }

    private static final List<Case> CASES = List.of(
            new Case("mlp(hidden=[128], dropout=0.2)", new int[] {1, 28, 28}, 10,
                    "nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))"),
            new Case("mlp(hidden=[6, 5], activation=tanh)", new int[] {7}, 3,
                    "nn.Sequential(nn.Linear(7, 6), nn.Tanh(), nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3))"),
            new Case("logreg()", new int[] {1, 3, 3}, 4, "nn.Sequential(nn.Flatten(), nn.Linear(9, 4))"),
            new Case("cnn()", new int[] {1, 28, 28}, 10,
                    "nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),"
                            + " nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))"),
            new Case("cnn(channels=[4], hidden=[5])", new int[] {3, 10, 9}, 2,
                    "nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(48, 5),"
                            + " nn.ReLU(), nn.Linear(5, 2))"));

    @Test
    void pyTorchLoadsTheWeightsAndComputesTheSameOutputs() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "skipped: " + PYTHON + " is not installed");
        Path script = dir.resolve("load_safetensors.py");
        try (InputStream in = SafetensorsInPyTorchTest.class.getResourceAsStream("/pytorch/load_safetensors.py")) {
            Files.copy(in, script);
        }
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script.toString()));
        List<float[]> expected = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(17);
        for (int c = 0; c < CASES.size(); c++) {
            Case k = CASES.get(c);
            Model model = Models.build(k.spec(), k.inputShape(), k.outputs(), c);
            float[] values = model.store().data();
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) rng.nextDouble(-0.3, 0.3);
            }
            int batch = 2;
            int[] shape = new int[k.inputShape().length + 1];
            shape[0] = batch;
            System.arraycopy(k.inputShape(), 0, shape, 1, k.inputShape().length);
            float[] x = new float[batch * Math.toIntExact(java.util.Arrays.stream(k.inputShape()).asLongStream()
                    .reduce(1, (a, b) -> a * b))];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextDouble(-1, 1);
            }
            model.eval();
            expected.add(model.forward(Tape.inference(), Tensor.of(x, shape)).toArray());
            Path weights = dir.resolve("model" + c + ".safetensors");
            Path input = dir.resolve("x" + c + ".safetensors");
            Safetensors.write(weights, Safetensors.of(model), Map.of("format", "pt"));
            Safetensors.write(input, Map.of("x", new Safetensors.Entry(shape, x)), Map.of());
            command.addAll(List.of(weights.toString(), input.toString(), k.torchModule()));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python did not finish");
        Assumptions.assumeFalse(p.exitValue() != 0 && output.contains("No module named 'torch'"),
                "skipped: " + PYTHON + " cannot import torch (python3-torch is not installed)");
        assertEquals(0, p.exitValue(), output);
        List<String> lines = output.lines().toList();
        int at = 0;
        for (int c = 0; c < CASES.size(); c++) {
            float[] want = expected.get(c);
            for (int i = 0; i < want.length; i++) {
                double got = Double.parseDouble(lines.get(at++));
                assertEquals(want[i], got, 1e-5 * Math.max(1, Math.abs(want[i])), CASES.get(c).spec() + ", output " + i);
            }
            assertEquals("end", lines.get(at++), CASES.get(c).spec() + ": the number of outputs");
        }
    }
}
