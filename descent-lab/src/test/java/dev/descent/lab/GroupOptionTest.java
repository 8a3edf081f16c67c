package dev.descent.lab;

import dev.descent.train.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --group} on {@code descent train}, {@code compare} and {@code tune}: a rule changes the steps of exactly the parameters it
 * matches, for a fused optimizer, a chain and a wrapper, and a bad rule exits 2 with one line that quotes it.
 *
 * <p>The model is {@code mlp(hidden=[8])}, whose parameters are {@code 0.weight, 0.bias, 2.weight, 2.bias}. The
 * final weights are read back from {@code model.safetensors}.
 */
class GroupOptionTest {
    private static final String DATA = "blobs(n=120, classes=3, dims=2)";
    private static final String[] COMMON = {"train", "--data", DATA, "--model", "mlp(hidden=[8])",
            "--epochs", "2", "--batch-size", "16", "--seed", "3"};

    @TempDir
    Path dir;

    /** Trains with {@code optimizer} and the given {@code --group} rules; returns the final weights by name. */
    private Map<String, Safetensors.Entry> train(String optimizer, String... rules) {
        return train(COMMON, optimizer, rules);
    }

    private Map<String, Safetensors.Entry> train(String[] common, String optimizer, String... rules) {
        List<String> args = new ArrayList<>(List.of(common));
        args.addAll(List.of("--optimizer", optimizer));
        for (String rule : rules) {
            args.addAll(List.of("--group", rule));
        }
        Path out = dir.resolve("run" + dir.toFile().list().length);
        args.addAll(List.of("--out", out.toString()));
        Invocation run = Invocation.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")), run.toString());
        return Safetensors.read(out.resolve("model.safetensors"));
    }

    private static boolean same(Map<String, Safetensors.Entry> a, Map<String, Safetensors.Entry> b, String name) {
        return Arrays.equals(a.get(name).data(), b.get(name).data());
    }

    /**
     * {@code lr=0} on the biases keeps them at their initial values (read from a run where every parameter has
     * {@code lr=0}) while the weights move; without the rule the biases move too.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "adam(lr=0.05)",
        "chain(scale_by_adam(), trace(momentum=0.5), scale_by_learning_rate(0.05))",
        "lookahead(adam(lr=0.05), k=3, alpha=0.5)",
        "ema(sgd(lr=0.1, momentum=0.9), decay=0.9)"})
    void aZeroLearningRateRuleFreezesTheMatchedParametersOnly(String optimizer) {
        Map<String, Safetensors.Entry> init = train(optimizer, ".: lr=0");
        Map<String, Safetensors.Entry> frozenBias = train(optimizer, "bias: lr=0");
        Map<String, Safetensors.Entry> free = train(optimizer);
        for (String bias : List.of("0.bias", "2.bias")) {
            assertArrayEquals(init.get(bias).data(), frozenBias.get(bias).data(), optimizer + ": " + bias + " stays at its start");
            assertFalse(same(init, free, bias), optimizer + ": without the rule " + bias + " moves");
        }
        for (String weight : List.of("0.weight", "2.weight")) {
            assertFalse(same(init, frozenBias, weight), optimizer + ": " + weight + " moves under the rule");
        }
    }

    /**
     * The rule, {@code bias: weight_decay=0} (and its L1 forms, {@code bias: l1=0}), trains to the same bits
     * as the complementary setup (no penalty in the optimizer, the penalty given to the weights by a rule), and to
     * different biases than the penalty on everything: coupled and decoupled weight decay, L1 as a subgradient and as
     * a proximal step.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sgd(lr=0.1, momentum=0.9, weight_decay=0.5) | sgd(lr=0.1, momentum=0.9) | weight_decay=0.5",
        "chain(add_decayed_weights(0.5), trace(momentum=0.9), scale_by_learning_rate(0.1)) "
                + "| chain(add_decayed_weights(0), trace(momentum=0.9), scale_by_learning_rate(0.1)) | weight_decay=0.5",
        "lookahead(adamw(lr=0.05, weight_decay=0.5), k=3) | lookahead(adamw(lr=0.05, weight_decay=0), k=3) | weight_decay=0.5",
        "chain(add_l1(0.05), scale_by_adam(), scale_by_learning_rate(0.05)) "
                + "| chain(add_l1(0), scale_by_adam(), scale_by_learning_rate(0.05)) | l1=0.05",
        "chain(scale_by_adam(), scale_by_learning_rate(0.05), soft_threshold(0.01)) "
                + "| chain(scale_by_adam(), scale_by_learning_rate(0.05), soft_threshold(0)) | l1=0.01"})
    void noPenaltyOnBiasesEqualsThePenaltyOnWeightsOnly(String penalized, String plain, String penalty) {
        String key = penalty.substring(0, penalty.indexOf('='));
        Map<String, Safetensors.Entry> biasesExempt = train(penalized, "bias: " + key + "=0");
        Map<String, Safetensors.Entry> weightsOnly = train(plain, "weight: " + penalty);
        Map<String, Safetensors.Entry> everywhere = train(penalized);
        for (String name : List.of("0.weight", "0.bias", "2.weight", "2.bias")) {
            assertArrayEquals(weightsOnly.get(name).data(), biasesExempt.get(name).data(), penalized + ": " + name);
        }
        assertFalse(same(everywhere, biasesExempt, "2.bias"), penalized + ": the rule changes the biases' steps");
    }

    /** compare gives every run the rules: each run's biases stay at that seed's start under {@code bias: lr=0}. */
    @Test
    void compareGivesEveryRunTheGroups() throws IOException {
        Path out = dir.resolve("compare");
        Invocation run = Invocation.of("compare", "--data", DATA, "--model", "mlp(hidden=[8])", "--optimizers",
                "adam(lr=0.05); chain(scale_by_adam(), scale_by_learning_rate(0.05))", "--seeds", "1", "--epochs", "2",
                "--batch-size", "16", "--group", "bias: lr=0", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        String[] seed0 = COMMON.clone();
        seed0[seed0.length - 1] = "0";
        Map<String, Safetensors.Entry> init = train(seed0, "adam(lr=0.05)", ".: lr=0");
        for (String name : List.of("01-adam-seed0", "02-chain-seed0")) {
            Map<String, Safetensors.Entry> trained = Safetensors.read(out.resolve(name).resolve("model.safetensors"));
            assertArrayEquals(init.get("0.bias").data(), trained.get("0.bias").data(), name + ": 0.bias stays at its start");
            assertArrayEquals(init.get("2.bias").data(), trained.get("2.bias").data(), name + ": 2.bias stays at its start");
            assertFalse(same(init, trained, "0.weight"), name + ": 0.weight moves");
        }
        assertTrue(Files.readString(out.resolve("report.html")).contains("parameter groups bias: lr=0"), "the report says so");
        Invocation problems = Invocation.of("compare", "--problem", "rosenbrock", "--group", "bias: lr=0");
        assertEquals(2, problems.exitCode(), problems.toString());
        assertTrue(problems.err().contains("--group applies to training comparisons"), problems.toString());
        Invocation bad = Invocation.of("compare", "--data", DATA, "--model", "mlp(hidden=[8])", "--optimizers",
                "adam(lr=0.05); sgd(lr=0.1)", "--seeds", "1", "--epochs", "1", "--group", "bias: betas=(0.9, 0.99)",
                "--out", dir.resolve("bad").toString());
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("group rule \"bias: betas=(0.9, 0.99)\": unknown key for sgd 'betas'"), bad.toString());
    }

    /** tune gives every trial the rules, and refuses them on a test problem. */
    @Test
    void tuneGivesEveryTrialTheGroups() throws IOException {
        Path out = dir.resolve("tune");
        Invocation run = Invocation.of("tune", "--data", DATA, "--model", "mlp(hidden=[8])", "--space",
                "adam(lr=loguniform(0.01, 0.1))", "--trials", "2", "--epochs", "2", "--batch-size", "16", "--pruner", "none",
                "--group", "bias: lr=0", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        String[] seed0 = COMMON.clone();
        seed0[seed0.length - 1] = "0";
        Map<String, Safetensors.Entry> init = train(seed0, "adam(lr=0.05)", ".: lr=0");
        for (String trial : List.of("000", "001")) {
            Map<String, Safetensors.Entry> trained = Safetensors.read(out.resolve("trials").resolve(trial).resolve("model.safetensors"));
            assertArrayEquals(init.get("2.bias").data(), trained.get("2.bias").data(), "trial " + trial + ": 2.bias stays at its start");
            assertFalse(same(init, trained, "2.weight"), "trial " + trial + ": 2.weight moves");
        }
        assertTrue(Files.readString(out.resolve("report.html")).contains("parameter groups bias: lr=0"), "the report says so");
        Invocation problem = Invocation.of("tune", "--problem", "rosenbrock", "--space", "adam(lr=loguniform(0.01, 0.1))",
                "--group", "bias: lr=0");
        assertEquals(2, problem.exitCode(), problem.toString());
        assertTrue(problem.err().contains("--group is for training"), problem.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "adam(lr=0.01)                                              | bias: lrr=0          | group rule \"bias: lrr=0\": unknown key for adam 'lrr'; did you mean 'lr'?",
        "adam(lr=0.01)                                              | bias: betas=(0.9)    | group rule \"bias: betas=(0.9)\": adam: betas=(0.9) is invalid",
        "chain(scale_by_adam(), scale_by_learning_rate(0.01))       | bias: weight_decay=0 | group rule \"bias: weight_decay=0\": unknown key for chain 'weight_decay'",
        "chain(scale_by_adam(), scale_by_learning_rate(0.01))       | bias: lr=-1          | group rule \"bias: lr=-1\": ",
        "lookahead(adam(lr=0.01))                                   | bias: k=2            | k is a setting of lookahead, which holds for every parameter",
        "ema(chain(scale_by_adam(), scale_by_learning_rate(0.01)))  | bias: eps=-1         | group rule \"bias: eps=-1\": ",
        "adam(lr=0.01)                                              | bais: lr=0           | group rule \"bais: lr=0\": the pattern 'bais' matches no parameter name; the names are 0.weight, 0.bias, 2.weight, 2.bias",
        "adam(lr=0.01)                                              | bias lr=0            | --group: group rule \"bias lr=0\": expected pattern: key=value"})
    void aBadRuleExitsTwoWithOneLineQuotingIt(String optimizer, String rule, String expected) {
        List<String> args = new ArrayList<>(List.of(COMMON));
        args.addAll(List.of("--optimizer", optimizer.strip(), "--group", "2.weight: lr=0.1", "--group", rule.strip(),
                "--out", dir.resolve("bad").toString()));
        Invocation run = Invocation.of(args.toArray(String[]::new));
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals("", run.out());
        List<String> lines = run.errLines().stream().filter(l -> !l.startsWith("WARNING: Using incubator")).toList();
        assertEquals(1, lines.size(), run.toString());
        assertTrue(lines.get(0).startsWith("descent: ") && lines.get(0).contains(expected.strip()), run.toString());
        assertFalse(Files.exists(dir.resolve("bad").resolve("history.csv")), "nothing trained");
    }
}
