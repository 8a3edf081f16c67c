package dev.descent.optim.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SpecValuesTest {

    /** Parses the value of x in f(x=...). */
    private static Object v(String text) {
        return SpecParser.parse("f(x=" + text + ")").named().get("x");
    }

    private static void fails(String message, Executable call) {
        SpecException e = assertThrows(SpecException.class, call);
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void toDoubleAcceptsIntegersAndFloats() {
        assertEquals(0.001, SpecValues.toDouble("adam", "lr", v("1e-3")));
        assertEquals(2.0, SpecValues.toDouble("adam", "lr", v("2")));
        assertEquals(Double.NEGATIVE_INFINITY, SpecValues.toDouble("adam", "lr", v("-inf")));
        fails("adam: lr=\"0.1\" is not a number", () -> SpecValues.toDouble("adam", "lr", v("'0.1'")));
        fails("adam: lr=true is not a number", () -> SpecValues.toDouble("adam", "lr", v("True")));
        fails("adam: lr=none is not a number", () -> SpecValues.toDouble("adam", "lr", v("None")));
        fails("adam: lr=(0.1) is not a number", () -> SpecValues.toDouble("adam", "lr", v("(0.1)")));
        fails("adam: lr=fast is not a number", () -> SpecValues.toDouble("adam", "lr", v("fast")));
    }

    @Test
    void toLongAcceptsIntegralFloats() {
        assertEquals(55L, SpecValues.toLong("cosineannealinglr", "T_max", v("55")));
        assertEquals(5L, SpecValues.toLong("cosineannealinglr", "T_max", v("5.0")));
        assertEquals(1000L, SpecValues.toLong("cosineannealinglr", "T_max", v("1e3")));
        assertEquals(-2L, SpecValues.toLong("f", "x", v("-2.0")));
        fails("cosineannealinglr: T_max=2.5 is not an integer",
                () -> SpecValues.toLong("cosineannealinglr", "T_max", v("2.5")));
        fails("f: x=inf is not an integer", () -> SpecValues.toLong("f", "x", v("inf")));
        fails("f: x=1.0E19 is not an integer", () -> SpecValues.toLong("f", "x", v("1e19")));
        fails("f: x=true is not an integer", () -> SpecValues.toLong("f", "x", v("true")));
        fails("f: x=\"5\" is not an integer", () -> SpecValues.toLong("f", "x", v("'5'")));
    }

    @Test
    void toBooleanAndToStr() {
        assertTrue(SpecValues.toBoolean("adam", "amsgrad", v("TRUE")));
        assertFalse(SpecValues.toBoolean("adam", "amsgrad", v("false")));
        fails("adam: amsgrad=1 is not true or false", () -> SpecValues.toBoolean("adam", "amsgrad", v("1")));
        fails("adam: amsgrad=\"true\" is not true or false",
                () -> SpecValues.toBoolean("adam", "amsgrad", v("'true'")));
        assertEquals("min", SpecValues.toStr("reducelronplateau", "mode", v("'min'")));
        assertEquals("Max", SpecValues.toStr("reducelronplateau", "mode", v("Max")));
        fails("reducelronplateau: mode=1 is not a string", () -> SpecValues.toStr("reducelronplateau", "mode", v("1")));
        fails("f: x=g(y=1) is not a string", () -> SpecValues.toStr("f", "x", v("g(y=1)")));
    }

    @Test
    void toDoublesChecksLengthAndElements() {
        assertArrayEquals(new double[] {0.9, 0.999}, SpecValues.toDoubles("adam", "betas", v("(0.9, 0.999)"), 2));
        assertArrayEquals(new double[] {1.0, 2.0}, SpecValues.toDoubles("adam", "betas", v("[1, 2]"), 2));
        assertArrayEquals(new double[] {}, SpecValues.toDoubles("f", "x", v("()"), -1));
        assertArrayEquals(new double[] {1, 2, 3}, SpecValues.toDoubles("f", "x", v("(1, 2, 3.0)"), -1));
        fails("adam: betas=(0.9) must be a pair of numbers like (0.9, 0.999)",
                () -> SpecValues.toDoubles("adam", "betas", v("(0.9)"), 2));
        fails("adam: betas=(0.9, 0.99, 0.999) must be a pair of numbers like (0.9, 0.999)",
                () -> SpecValues.toDoubles("adam", "betas", v("(0.9, 0.99, 0.999)"), 2));
        fails("adam: betas=0.9 must be a pair of numbers like (0.9, 0.999)",
                () -> SpecValues.toDoubles("adam", "betas", v("0.9"), 2));
        fails("adam: betas=[0.9, \"a\"] must be a pair of numbers like (0.9, 0.999)",
                () -> SpecValues.toDoubles("adam", "betas", v("[0.9, 'a']"), 2));
        fails("f: x=(1, 2) must be a triple of numbers like (0.9, 0.99, 0.999)",
                () -> SpecValues.toDoubles("f", "x", v("(1, 2)"), 3));
        fails("f: x=(1) must be a sequence of 5 numbers", () -> SpecValues.toDoubles("f", "x", v("(1)"), 5));
        fails("f: x=(true) must be a sequence of numbers like (0.5, 1.5)",
                () -> SpecValues.toDoubles("f", "x", v("(true)"), -1));
    }

    @Test
    void toLongsChecksElements() {
        assertArrayEquals(new long[] {30, 80}, SpecValues.toLongs("multisteplr", "milestones", v("[30, 80]")));
        assertArrayEquals(new long[] {5}, SpecValues.toLongs("multisteplr", "milestones", v("(5.0)")));
        assertArrayEquals(new long[] {}, SpecValues.toLongs("multisteplr", "milestones", v("[]")));
        fails("multisteplr: milestones=[5, 2.5] must be a sequence of integers like [30, 80], but 2.5 is not an integer",
                () -> SpecValues.toLongs("multisteplr", "milestones", v("[5, 2.5]")));
        fails("multisteplr: milestones=5 must be a sequence of integers like [30, 80]",
                () -> SpecValues.toLongs("multisteplr", "milestones", v("5")));
    }

    @Test
    void ownerAndKeyMayBeLeftOut() {
        fails("x=true is not a number", () -> SpecValues.toDouble(null, "x", true));
        fails("f: true is not a number", () -> SpecValues.toDouble("f", null, true));
        fails("\"s\" is not an integer", () -> SpecValues.toLong(null, null, "s"));
    }

    @Test
    void errorsAreIllegalArgumentExceptions() {
        assertThrows(IllegalArgumentException.class, () -> SpecValues.toDouble("f", "x", "s"));
    }

    @Test
    void renderUsesSpecSyntax() {
        assertEquals("(0.9, 0.999)", Spec.render(v("(0.9, 0.999)")));
        assertEquals("[1, [2.0, \"a\\\"b\"], none, -inf, false]", Spec.render(v("[1, [2., 'a\"b'], null, -inf, False]")));
        assertEquals("adam(lr=0.1)", Spec.render(v("Adam (LR = 0.1)")).toLowerCase());
        assertEquals("none", Spec.render(null));
        assertEquals("nan", Spec.render(Double.NaN));
        assertEquals("inf", Spec.render(Float.POSITIVE_INFINITY));
        assertEquals("0.1", Spec.render(0.1f));
        assertEquals("[1, \"a\"]", Spec.render(List.of(1, "a")));
        assertEquals("\"tab\\there\\nnext\"", Spec.render("tab\there\nnext"));
    }
}
