package dev.descent.optim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static dev.descent.optim.ParamStoreTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hyperparameters are validated when the optimizer is built, with PyTorch's rules, and a rejected value is
 * reported with the key, the value and the rule it broke.
 */
class ValidationTest {
    private static final List<String> ALGORITHMS = List.of("sgd", "adagrad", "rmsprop", "adadelta", "adam", "nadam");

    /** Builds {@code spec} over a small store, so that errors from building surface too. */
    private static Optimizer build(String spec) {
        return Optimizers.create(spec, ParamStore.of("w", 1f, 2f).params());
    }

    private static IllegalArgumentException rejected(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> build(spec), spec + " should be rejected");
    }

    /** The spec for {@code algorithm} with one more argument (SGD needs its lr). */
    private static String with(String algorithm, String arg) {
        return algorithm.equals("sgd") && !arg.startsWith("lr=") ? "sgd(lr=0.1, " + arg + ")" : algorithm + "(" + arg + ")";
    }

    @ParameterizedTest
    @CsvSource({
        "sgd, lr=-0.1, lr=-0.1, must be >= 0",
        "adagrad, lr=-0.1, lr=-0.1, must be >= 0",
        "rmsprop, lr=-0.1, lr=-0.1, must be >= 0",
        "adadelta, lr=-0.1, lr=-0.1, must be >= 0",
        "adam, lr=-0.1, lr=-0.1, must be >= 0",
        "nadam, lr=-1, lr=-1, must be >= 0",
        "adagrad, eps=-1e-10, eps=-1.0E-10, must be >= 0",
        "rmsprop, eps=-1e-8, eps=-1.0E-8, must be >= 0",
        "adadelta, eps=-0.5, eps=-0.5, must be >= 0",
        "adam, eps=-1e-8, eps=-1.0E-8, must be >= 0",
        "nadam, eps=-0.001, eps=-0.001, must be >= 0",
        "sgd, weight_decay=-0.01, weight_decay=-0.01, must be >= 0",
        "adagrad, weight_decay=-0.01, weight_decay=-0.01, must be >= 0",
        "rmsprop, weight_decay=-0.01, weight_decay=-0.01, must be >= 0",
        "adadelta, weight_decay=-0.01, weight_decay=-0.01, must be >= 0",
        "adam, weight_decay=-0.01, weight_decay=-0.01, must be >= 0",
        "nadam, weight_decay=-0.01, weight_decay=-0.01, must be >= 0",
        "sgd, momentum=-0.9, momentum=-0.9, must be >= 0",
        "rmsprop, momentum=-0.5, momentum=-0.5, must be >= 0",
        "rmsprop, alpha=-0.99, alpha=-0.99, must be >= 0",
        "adagrad, lr_decay=-0.1, lr_decay=-0.1, must be >= 0",
        "adagrad, initial_accumulator_value=-1.5, initial_accumulator_value=-1.5, must be >= 0",
        "nadam, momentum_decay=-0.004, momentum_decay=-0.004, must be >= 0",
        "adadelta, rho=1.5, rho=1.5, 'must be in [0, 1]'",
        "adadelta, rho=-0.1, rho=-0.1, 'must be in [0, 1]'",
        "adam, 'betas=(1.0, 0.999)', element 0 (1.0), 'must be in [0, 1)'",
        "adam, 'betas=(0.9, 1.0)', element 1 (1.0), 'must be in [0, 1)'",
        "adam, 'betas=(-0.1, 0.999)', element 0 (-0.1), 'must be in [0, 1)'",
        "adam, 'betas=(0.9, -0.5)', element 1 (-0.5), 'must be in [0, 1)'",
        "nadam, 'betas=(1.5, 0.999)', element 0 (1.5), 'must be in [0, 1)'",
        "nadam, 'betas=(0.9, 1)', element 1 (1.0), 'must be in [0, 1)'",
        "adam, 'betas=(0.9, inf)', element 1 (inf), 'must be in [0, 1)'",
    })
    void aBadValueIsRejectedNamingTheKeyTheValueAndTheRule(String algorithm, String arg, String shown, String rule) {
        IllegalArgumentException e = rejected(with(algorithm, arg));
        assertMentions(e, algorithm + ":", arg.substring(0, arg.indexOf('=')) + "=", shown, rule);
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "nadam"})
    void betasMustBeAPair(String algorithm) {
        for (String betas : List.of("(0.9)", "(0.9, 0.99, 0.999)", "0.9", "()", "(0.9, true)")) {
            IllegalArgumentException e = rejected(algorithm + "(betas=" + betas + ")");
            assertMentions(e, algorithm + ":", "betas=", "must be a tuple of 2 numbers like (0.9, 0.999)");
        }
        IllegalArgumentException e = rejected(algorithm + "(betas=(0.9, 0.99, 0.999))");
        assertMentions(e, "betas=(0.9, 0.99, 0.999)");
        e = rejected(algorithm + "(betas=[0.9])");
        assertMentions(e, "betas=(0.9)");
    }

    @Test
    void boundariesOfTheRulesAreAccepted() {
        Optimizer adam = build("adam(lr=0, betas=(0, 0), eps=0, weight_decay=0)");
        assertArrayEquals(new double[] {0, 0}, (double[]) adam.paramGroups().get(0).get("betas"));
        assertEquals(1.0, build("adadelta(rho=1)").paramGroups().get(0).real("rho"));
        assertEquals(0.0, build("adadelta(rho=0)").paramGroups().get(0).real("rho"));
        assertEquals(0.0, build("sgd(lr=0)").lr());
        assertEquals(0.0, build("rmsprop(alpha=0, momentum=0)").paramGroups().get(0).real("alpha"));
        // PyTorch puts no rule on SGD's dampening.
        assertEquals(-0.5, build("sgd(lr=0.1, momentum=0.9, dampening=-0.5)").paramGroups().get(0).real("dampening"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adagrad", "rmsprop", "adadelta", "adam", "nadam"})
    void infiniteValuesAreRejected(String algorithm) {
        for (String arg : List.of("lr=inf", "lr=-inf", "weight_decay=inf")) {
            IllegalArgumentException e = rejected(with(algorithm, arg));
            assertMentions(e, algorithm + ":", arg, "must be a finite number");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adagrad", "rmsprop", "adadelta", "adam", "nadam"})
    void nanIsRejectedFromJavaAndFromASpec(String algorithm) {
        Algorithm a = Optimizers.algorithm(algorithm);
        List<ParamGroup> groups = List.of(ParamGroup.of(ParamStore.of("w", 1f).params()));
        for (String key : List.of("lr", "weight_decay")) {
            Map<String, Object> given = new java.util.HashMap<>(Map.of("lr", 0.1));
            given.put(key, Double.NaN);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.create(given, groups));
            assertMentions(e, algorithm + ":", key + "=nan", "must be a finite number");
        }
        assertThrows(IllegalArgumentException.class, () -> build(with(algorithm, "lr=nan")));
    }

    @Test
    void nanInsideBetasIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Adam.ALGORITHM.create(Map.of("betas", new double[] {Double.NaN, 0.999}),
                        List.of(ParamGroup.of(ParamStore.of("w", 1f).params()))));
        assertMentions(e, "adam:", "betas=(nan, 0.999)", "element 0 (nan)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adagrad", "rmsprop", "adadelta", "adam", "nadam"})
    void aBoolWhereANumberIsExpectedIsRejected(String algorithm) {
        IllegalArgumentException e = rejected(with(algorithm, "weight_decay=true"));
        assertMentions(e, algorithm + ":", "weight_decay=true", "must be a number");
        e = rejected(algorithm + "(lr=false)");
        assertMentions(e, algorithm + ":", "lr=false", "must be a number");
        e = rejected(algorithm + "(lr=\"0.1\")");
        assertMentions(e, algorithm + ":", "lr=\"0.1\"", "must be a number");
        e = rejected(algorithm + "(lr=(0.1, 0.2))");
        assertMentions(e, algorithm + ":", "lr=(0.1, 0.2)", "must be a number");
    }

    @Test
    void aNumberOrNoneWhereAFlagIsExpectedIsRejected() {
        assertMentions(rejected("adam(amsgrad=1)"), "adam:", "amsgrad=1", "must be true or false");
        assertMentions(rejected("sgd(lr=0.1, nesterov=0)"), "sgd:", "nesterov=0", "must be true or false");
        assertMentions(rejected("rmsprop(centered=none)"), "rmsprop:", "centered=none", "must be true or false");
        assertMentions(rejected("adagrad(maximize='yes')"), "adagrad:", "maximize=\"yes\"", "must be true or false");
    }

    @Test
    void nesterovNeedsMomentum() {
        IllegalArgumentException e = rejected("sgd(lr=0.1, nesterov=true)");
        assertMentions(e, "sgd:", "nesterov=true", "momentum > 0", "momentum=0.0");
        e = rejected("nag(lr=0.1, momentum=0)");
        assertMentions(e, "nesterov=true", "momentum=0.0");
    }

    @Test
    void nesterovForbidsDampening() {
        IllegalArgumentException e = rejected("sgd(lr=0.1, momentum=0.9, dampening=0.1, nesterov=true)");
        assertMentions(e, "sgd:", "nesterov=true", "dampening=0", "dampening=0.1");
        assertMentions(rejected("nag(lr=0.1, dampening=0.5)"), "dampening=0.5");
    }

    @Test
    void nesterovIsCheckedWhenSetBetweenStepsToo() {
        Optimizer sgd = build("sgd(lr=0.1)");
        ParamGroup g = sgd.paramGroups().get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.set("nesterov", true));
        assertMentions(e, "nesterov=true", "momentum=0.0");
        assertFalse(g.flag("nesterov"));
        Optimizer nag = build("nag(lr=0.1)");
        assertThrows(IllegalArgumentException.class, () -> nag.paramGroups().get(0).set("momentum", 0.0));
        assertEquals(0.9, nag.paramGroups().get(0).real("momentum"));
    }

    @Test
    void sgdRequiresLr() {
        for (String spec : List.of("sgd", "sgd()", "sgd(momentum=0.9)", "momentum()", "nag")) {
            IllegalArgumentException e = rejected(spec);
            assertMentions(e, "sgd:", "lr is required");
        }
        // The other algorithms have PyTorch's defaults.
        assertEquals(1e-3, build("adam").lr());
        assertEquals(2e-3, build("nadam").lr());
        assertEquals(1e-2, build("adagrad").lr());
        assertEquals(1e-2, build("rmsprop").lr());
        assertEquals(1.0, build("adadelta").lr());
    }

    @Test
    void anUnknownKeyListsTheValidKeysAndSuggestsTheClosest() {
        IllegalArgumentException e = rejected("adam(lr=0.1, amsgrd=true)");
        assertMentions(e, "unknown key for adam 'amsgrd'", "did you mean 'amsgrad'?",
                "amsgrad, betas, eps, eps_placement, lr, maximize, weight_decay");
        assertMentions(rejected("sgd(lr=0.1, momentun=0.9)"), "'momentun'", "did you mean 'momentum'?",
                "dampening, lr, maximize, momentum, nesterov, weight_decay");
        assertMentions(rejected("rmsprop(centred=true)"), "did you mean 'centered'?");
        assertMentions(rejected("adagrad(initial_accumulator=0.1)"), "did you mean 'initial_accumulator_value'?");
        assertMentions(rejected("adadelta(rhoo=0.5)"), "did you mean 'rho'?");
        assertMentions(rejected("nadam(momentum_decy=0.1)"), "did you mean 'momentum_decay'?");
        // A key of another algorithm is unknown here: NAdam has no maximize in PyTorch 1.13.
        assertMentions(rejected("nadam(maximize=true)"), "unknown key for nadam 'maximize'");
        assertMentions(rejected("adam(nesterov=true)"), "unknown key for adam 'nesterov'");
    }

    @Test
    void anUnknownKeyFarFromEveryValidOneSuggestsNothing() {
        IllegalArgumentException e = rejected("adam(zzzzzzzzzz=1)");
        assertMentions(e, "unknown key for adam 'zzzzzzzzzz'", "valid names:");
        assertFalse(e.getMessage().contains("did you mean"), e.getMessage());
    }

    @Test
    void anUnknownOptimizerListsTheValidNamesAndSuggestsTheClosest() {
        IllegalArgumentException e = rejected("adm(lr=0.1)");
        assertMentions(e, "unknown optimizer 'adm'", "did you mean 'adam'?", "valid names: " + String.join(", ", Optimizers.names()));
        assertMentions(rejected("rmsporp"), "did you mean 'rmsprop'?");
        assertMentions(rejected("Nadma()"), "did you mean 'nadam'?");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> Optimizers.algorithm("adagrd")),
                "did you mean 'adagrad'?");
    }

    @Test
    void aSpecThatDoesNotParseIsRejected() {
        for (String spec : List.of("adam(lr=)", "adam(lr=0.1", "adam(lr=0.1,)", "adam(lr 0.1)", "", "adam(lr=0.1) x",
                "adam(betas=(0.9, 0.999)", "adam(lr=1e)")) {
            IllegalArgumentException e = rejected(spec);
            assertTrue(e.getMessage().startsWith("spec \""), spec + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("expected"), spec + ": " + e.getMessage());
        }
    }

    @Test
    void positionalArgumentsAreRejected() {
        IllegalArgumentException e = rejected("adam(0.1)");
        assertMentions(e, "adam takes only key=value arguments", "0.1");
        assertMentions(rejected("sgd(0.1, momentum=0.9)"), "sgd takes only key=value arguments", "0.1");
        assertMentions(rejected("nag(adam, lr=0.1)"), "nag takes only key=value arguments", "adam");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adagrad", "rmsprop", "adadelta", "adam", "nadam"})
    void pytorchSwitchesAreAcceptedAndIgnored(String algorithm) {
        String spec = with(algorithm, "foreach=true, fused=false, capturable=false, differentiable=false");
        Optimizer opt = build(spec);
        assertFalse(opt.paramGroups().get(0).values().containsKey("foreach"));
        assertEquals(Optimizers.parse(algorithm.equals("sgd") ? "sgd(lr=0.1)" : algorithm).toString(), opt.toString());
        build(with(algorithm, "foreach=none, Fused=None"));
    }

    @Test
    void namesKeysAndLiteralsAreCaseInsensitive() {
        OptimizerSpec spec = Optimizers.parse("Adam(LR=0.1, AMSGrad=True, Betas=(0.5, 0.6), Weight_Decay=0.01)");
        assertEquals("adam", spec.algorithm().name());
        assertEquals(0.1, spec.values().get("lr"));
        assertEquals(true, spec.values().get("amsgrad"));
        assertEquals(0.01, spec.values().get("weight_decay"));
        assertArrayEquals(new double[] {0.5, 0.6}, (double[]) spec.values().get("betas"));
        assertEquals(Optimizers.parse("adam(lr=0.1, amsgrad=true, betas=(0.5, 0.6), weight_decay=0.01)").toString(),
                spec.toString());
        assertEquals(0.9, Optimizers.parse("NAG(LR=0.1)").values().get("momentum"));
        assertEquals(true, Optimizers.parse("SGD(lr=0.1, MOMENTUM=0.9, Nesterov=TRUE)").values().get("nesterov"));
        assertEquals(0.5, Optimizers.parse("Momentum(Lr=0.1, MoMentum=0.5)").values().get("momentum"));
        assertEquals("rmsprop", Optimizers.algorithm("RMSProp").name());
    }

    @Test
    void keysGivenFromJavaAreCaseInsensitiveToo() {
        Param w = ParamStore.of("w", 1f).param(0);
        Optimizer opt = Adam.ALGORITHM.create(Map.of("LR", 0.5), List.of(ParamGroup.of(w).with("Weight_Decay", 0.25)));
        assertEquals(0.5, opt.lr());
        assertEquals(0.25, opt.paramGroups().get(0).real("weight_decay"));
    }

    @Test
    void anIntegerIsAcceptedWhereAFloatIsExpected() {
        Optimizer opt = build("adam(lr=1, betas=(0, 0), eps=1)");
        assertEquals(Double.valueOf(1.0), opt.paramGroups().get(0).values().get("lr"));
        assertEquals(Double.valueOf(1.0), opt.paramGroups().get(0).values().get("eps"));
    }

    @Test
    void aBadPerGroupOverrideIsRejectedWhenTheOptimizerIsBuilt() {
        ParamStore store = ParamStore.builder().add("w", 2).add("b", 1).build();
        OptimizerSpec spec = Optimizers.parse("adam(lr=0.1)");
        List<ParamGroup> groups = List.of(ParamGroup.of(store.param("w")), ParamGroup.of(store.param("b")).with("lr", -2.0));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> spec.buildGroups(groups)), "adam:", "lr=-2.0", "must be >= 0");
        List<ParamGroup> typo = List.of(ParamGroup.of(store.param("w")).with("wieght_decay", 0.1));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> spec.buildGroups(typo)), "did you mean 'weight_decay'?");
        List<ParamGroup> nesterov = List.of(ParamGroup.of(store.params()).with("nesterov", true));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> Optimizers.parse("sgd(lr=0.1)").buildGroups(nesterov)),
                "nesterov=true requires momentum > 0");
    }

    @Test
    void everyAlgorithmIsRegistered() {
        for (String name : ALGORITHMS) {
            assertEquals(name, Optimizers.algorithm(name).name());
        }
        List<String> names = Optimizers.names();
        assertTrue(names.containsAll(List.of("adadelta", "adagrad", "adam", "momentum", "nadam", "nag", "rmsprop", "sgd")), names.toString());
        assertEquals(names.stream().sorted().toList(), names, "names() is sorted");
        assertEquals("sgd", Optimizers.algorithm("momentum").name());
        assertEquals("sgd", Optimizers.algorithm("nag").name());
    }
}
