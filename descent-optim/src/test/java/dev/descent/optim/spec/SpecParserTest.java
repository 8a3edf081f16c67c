package dev.descent.optim.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecParserTest {

    private static Object arg(String valueText) {
        return SpecParser.parse("f(x=" + valueText + ")").named().get("x");
    }

    private static SpecException fails(String input, int position, String... fragments) {
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse(input));
        checkError(e, input, position, fragments);
        return e;
    }

    private static void checkError(SpecException e, String input, int position, String... fragments) {
        String m = e.getMessage();
        assertTrue(m.startsWith("spec \"" + input.replace("\n", "\\n") + "\": "), m);
        assertFalse(m.contains("\n") || m.contains("\r"), m);
        assertEquals(position, e.position(), m);
        assertTrue(m.contains("offset " + position), m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "expected '" + f + "' in: " + m);
        }
    }

    @Test
    void adamFromDesign() {
        Spec s = SpecParser.parse("adam(lr=0.001, betas=(0.9, 0.999), amsgrad=true)");
        assertEquals("adam", s.name());
        assertEquals("adam", s.key());
        assertEquals(List.of(), s.positional());
        assertEquals(List.of("lr", "betas", "amsgrad"), List.copyOf(s.named().keySet()));
        assertEquals(0.001, s.named().get("lr"));
        SpecSeq betas = assertInstanceOf(SpecSeq.class, s.named().get("betas"));
        assertEquals(List.of(0.9, 0.999), betas.items());
        assertFalse(betas.brackets());
        assertEquals(Boolean.TRUE, s.named().get("amsgrad"));
        assertEquals(0, s.position());
        assertEquals("adam(lr=0.001, betas=(0.9, 0.999), amsgrad=true)", s.source());
    }

    @Test
    void steplrIntegersAreLongs() {
        Spec s = SpecParser.parse("steplr(step_size=10, gamma=0.5)");
        assertEquals(10L, s.named().get("step_size"));
        assertInstanceOf(Long.class, s.named().get("step_size"));
        assertEquals(0.5, s.named().get("gamma"));
    }

    @Test
    void sequentialLrNestsSpecsWithPositions() {
        String text = "sequentiallr(linearlr(start_factor=0.1, total_iters=5), cosineannealinglr(T_max=55), milestones=[5])";
        Spec s = SpecParser.parse(text);
        assertEquals("sequentiallr", s.key());
        assertEquals(2, s.positional().size());
        Spec first = assertInstanceOf(Spec.class, s.positional().get(0));
        Spec second = assertInstanceOf(Spec.class, s.positional().get(1));
        assertEquals("linearlr", first.key());
        assertEquals(Map.of("start_factor", 0.1, "total_iters", 5L), first.named());
        assertEquals("linearlr(start_factor=0.1, total_iters=5)", first.source());
        assertEquals(13, first.position());
        assertEquals(first.source(), text.substring(first.position(), first.position() + first.source().length()));
        assertEquals("cosineannealinglr(T_max=55)", second.source());
        assertEquals(text.indexOf("cosine"), second.position());
        assertEquals(55L, second.named().get("t_max"));
        assertFalse(second.named().containsKey("T_max"));
        SpecSeq milestones = assertInstanceOf(SpecSeq.class, s.named().get("milestones"));
        assertTrue(milestones.brackets());
        assertEquals(List.of(5L), milestones.items());
    }

    @Test
    void namesKeysAndLiteralsAreCaseInsensitive() {
        Spec s = SpecParser.parse("Adam(LR=1E-3, AMSGrad=True)");
        assertEquals("Adam", s.name());
        assertEquals("adam", s.key());
        assertEquals(List.of("lr", "amsgrad"), List.copyOf(s.named().keySet()));
        assertEquals(0.001, s.named().get("lr"));
        assertEquals(Boolean.TRUE, s.named().get("amsgrad"));
        assertEquals(SpecParser.parse("adam(lr=0.001, amsgrad=true)"), s);
        assertEquals(SpecParser.parse("adam(lr=0.001, amsgrad=true)").hashCode(), s.hashCode());
        assertEquals(SpecParser.parse("c(T_max=5)"), SpecParser.parse("C(t_max=5)"));
    }

    @Test
    void numbers() {
        assertEquals(1L, arg("1"));
        assertEquals(-3L, arg("-3"));
        assertEquals(7L, arg("+7"));
        assertEquals(7L, arg("007"));
        assertEquals(0L, arg("-0"));
        assertEquals(Long.MAX_VALUE, arg("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, arg("-9223372036854775808"));
        assertEquals(0.5, arg("0.5"));
        assertEquals(0.5, arg(".5"));
        assertEquals(-0.5, arg("-.5"));
        assertEquals(5.0, arg("5."));
        assertEquals(0.001, arg("1e-3"));
        assertEquals(-25000.0, arg("-2.5E+4"));
        assertEquals(1000.0, arg("1E3"));
        assertInstanceOf(Double.class, arg("1E3"));
        assertEquals(1e-300, arg("1e-300"));
        assertEquals(-0.0, arg("-0.0"));
        assertEquals(Double.POSITIVE_INFINITY, arg("inf"));
        assertEquals(Double.POSITIVE_INFINITY, arg("+inf"));
        assertEquals(Double.POSITIVE_INFINITY, arg("INF"));
        assertEquals(Double.NEGATIVE_INFINITY, arg("-inf"));
        assertEquals(Double.NEGATIVE_INFINITY, arg("-Inf"));
    }

    @Test
    void boolsAndNone() {
        for (String t : List.of("true", "True", "TRUE")) {
            assertEquals(Boolean.TRUE, arg(t));
        }
        for (String f : List.of("false", "False")) {
            assertEquals(Boolean.FALSE, arg(f));
        }
        for (String n : List.of("none", "None", "NONE", "null", "Null")) {
            assertSame(Spec.NONE, arg(n));
        }
        assertEquals("none", Spec.NONE.toString());
    }

    @Test
    void strings() {
        assertEquals("a;b", arg("'a;b'"));
        assertEquals("it's", arg("\"it's\""));
        assertEquals("it's", arg("'it\\'s'"));
        assertEquals("say \"hi\"", arg("\"say \\\"hi\\\"\""));
        assertEquals("a\\b", arg("'a\\\\b'"));
        assertEquals("x\ny\tz", arg("'x\\ny\\tz'"));
        assertEquals("", arg("''"));
        assertEquals("(not, a) seq=1", arg("'(not, a) seq=1'"));
    }

    @Test
    void sequences() {
        SpecSeq outer = assertInstanceOf(SpecSeq.class, arg("[(1,2),[3]]"));
        assertTrue(outer.brackets());
        SpecSeq a = assertInstanceOf(SpecSeq.class, outer.items().get(0));
        SpecSeq b = assertInstanceOf(SpecSeq.class, outer.items().get(1));
        assertFalse(a.brackets());
        assertEquals(List.of(1L, 2L), a.items());
        assertTrue(b.brackets());
        assertEquals(List.of(3L), b.items());
        assertEquals("[(1, 2), [3]]", outer.toString());

        SpecSeq one = assertInstanceOf(SpecSeq.class, arg("(0.9)"));
        assertEquals(List.of(0.9), one.items());
        assertEquals(List.of(), ((SpecSeq) arg("()")).items());
        assertEquals(List.of(), ((SpecSeq) arg("[ ]")).items());
        SpecSeq mixed = (SpecSeq) arg("(1, 'a', none, true, adam(lr=1), -inf)");
        assertEquals(6, mixed.items().size());
        assertSame(Spec.NONE, mixed.items().get(2));
        assertEquals(SpecParser.parse("adam(lr=1)"), mixed.items().get(4));
    }

    @Test
    void bracketKindsAreInterchangeableButRemembered() {
        Spec round = SpecParser.parse("f(x=(1, 2))");
        Spec square = SpecParser.parse("f(x=[1, 2])");
        assertEquals(round, square);
        assertEquals(round.hashCode(), square.hashCode());
        assertEquals("f(x=(1, 2))", round.toString());
        assertEquals("f(x=[1, 2])", square.toString());
        assertNotEquals(SpecParser.parse("f(x=(1, 2))"), SpecParser.parse("f(x=(1, 2, 3))"));
    }

    @Test
    void nameAloneEqualsEmptyParens() {
        Spec bare = SpecParser.parse("sgd");
        Spec parens = SpecParser.parse("sgd ( )");
        assertEquals(bare, parens);
        assertEquals("sgd", parens.toString());
        assertTrue(parens.positional().isEmpty() && parens.named().isEmpty());
        assertEquals("sgd ( )", parens.source());
    }

    @Test
    void whitespaceBetweenAnyTokens() {
        Spec s = SpecParser.parse(" \t adam ( lr = 0.1 ,\n betas = [ 0.9 , 0.999 ] )  ");
        assertEquals(SpecParser.parse("adam(lr=0.1,betas=(0.9,0.999))"), s);
        assertEquals(3, s.position());
        assertEquals("adam ( lr = 0.1 ,\n betas = [ 0.9 , 0.999 ] )", s.source());
    }

    @Test
    void positionalArgumentsAndNestedSpecs() {
        Spec s = SpecParser.parse("lookahead(adam(lr=0.1), k=5, alpha=0.5)");
        Spec inner = assertInstanceOf(Spec.class, s.positional().get(0));
        assertEquals("adam(lr=0.1)", inner.source());
        assertEquals(10, inner.position());
        assertEquals(5L, s.named().get("k"));
        assertEquals(List.of(1.0), SpecParser.parse("clip_by_global_norm(1.0)").positional());
        Spec chain = SpecParser.parse("chain(clip, scale_by_adam(b1=0.9), scale(-0.01))");
        assertEquals(List.of("clip", "scale_by_adam", "scale"),
                chain.positional().stream().map(v -> ((Spec) v).key()).toList());
    }

    @Test
    void bareNamesAndKeywordCalls() {
        Spec mode = assertInstanceOf(Spec.class, arg("min"));
        assertEquals("min", mode.name());
        Spec s = SpecParser.parse("f(none(), true(x=1), inf())");
        assertEquals(List.of("none", "true", "inf"), s.positional().stream().map(v -> ((Spec) v).key()).toList());
        assertEquals("f(none(), true(x=1), inf())", s.toString());
        assertEquals(s, SpecParser.parse(s.toString()));
        assertEquals("none", SpecParser.parse("none").key());
        Spec dotted = SpecParser.parse("torch.optim.Adam(_x1=1, a.b=2)");
        assertEquals("torch.optim.adam", dotted.key());
        assertEquals(List.of("_x1", "a.b"), List.copyOf(dotted.named().keySet()));
    }

    @Test
    void resultIsImmutable() {
        Spec s = SpecParser.parse("f(1, x=(2, 3))");
        assertThrows(UnsupportedOperationException.class, () -> s.positional().add(1L));
        assertThrows(UnsupportedOperationException.class, () -> s.named().put("y", 1L));
        assertThrows(UnsupportedOperationException.class, () -> ((SpecSeq) s.named().get("x")).items().clear());
    }

    @Test
    void equalityIgnoresSourceButNotValues() {
        assertEquals(SpecParser.parse("f( x = 1 )"), SpecParser.parse("f(x=1)"));
        assertNotEquals(SpecParser.parse("f(x=1)"), SpecParser.parse("f(x=1.0)"));
        assertNotEquals(SpecParser.parse("f(x=1)"), SpecParser.parse("g(x=1)"));
        assertNotEquals(SpecParser.parse("f(1)"), SpecParser.parse("f(x=1)"));
        assertNotEquals(SpecParser.parse("f(1, 2)"), SpecParser.parse("f(2, 1)"));
        assertEquals(SpecParser.parse("f(x=1, y=2)"), SpecParser.parse("f(y=2, x=1)"));
    }

    @Test
    void canonicalToString() {
        assertEquals("Adam(lr=0.001, amsgrad=true)", SpecParser.parse("Adam(LR=1E-3, AMSGrad=True)").toString());
        assertEquals("f(x=[1, (2.5, \"a\")], y=none, z=-inf, w=inf)",
                SpecParser.parse("f(x = [1, (2.5, 'a')], y=Null, z=-INF, w=+inf)").toString());
        assertEquals("f(\"q\\\"b\\\\s\\n\")", SpecParser.parse("f('q\"b\\\\s\\n')").toString());
        assertEquals("f(1.0E-4, 1.0E20, -0.0)", SpecParser.parse("f(1e-4, 1e20, -0.0)").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "adam(lr=0.001, betas=(0.9, 0.999), amsgrad=true)",
        "sequentiallr(linearlr(start_factor=0.1, total_iters=5), cosineannealinglr(T_max=55), milestones=[5])",
        "Adam(LR=1E-3, AMSGrad=True)",
        "f(x=[(1,2),[3]], y=(), z=[], w=(0.9))",
        "f(1e-300, 1.7976931348623157E308, 4.9E-324, -9223372036854775808, 9223372036854775807, -0.0, .1, 3.)",
        "f(inf, -inf, none, true, false, 'a\\'b\\\\c\\n\\t\"d')",
        "chain(clip_by_global_norm(1.0), scale_by_adam(), none(), nan(x=1), mode=min)",
        "sgd",
        "lookahead(adam(lr=0.1), k=5, alpha=0.5)",
    })
    void roundTrip(String text) {
        Spec s = SpecParser.parse(text);
        Spec again = SpecParser.parse(s.toString());
        assertEquals(s, again);
        assertEquals(s.toString(), again.toString());
    }

    @Test
    void errorExampleFromBrief() {
        SpecException e = fails("adam(lr=0.001,, eps=1)", 14);
        assertEquals("spec \"adam(lr=0.001,, eps=1)\": expected a value at offset 14 but found ','", e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e);
    }

    @Test
    void emptyAndBlankInput() {
        String msg = "expected an optimizer spec such as adam(lr=0.001) but the text is empty";
        SpecException empty = assertThrows(SpecException.class, () -> SpecParser.parse(""));
        assertEquals("spec \"\": " + msg, empty.getMessage());
        assertEquals(0, empty.position());
        assertTrue(assertThrows(SpecException.class, () -> SpecParser.parse(null)).getMessage().contains(msg));
        SpecException blank = assertThrows(SpecException.class, () -> SpecParser.parse("   "));
        assertTrue(blank.getMessage().startsWith("spec \"   \": " + msg), blank.getMessage());
    }

    @Test
    void unbalancedParens() {
        fails("adam(lr=0.1", 11, "expected ',' or ')'", "the end of the text", "'(' at offset 4");
        fails("f(x=(1, 2", 9, "expected ',' or ')'", "'(' at offset 4");
        fails("f(x=(1, 2])", 9, "expected ',' or ')'", "found ']'");
        fails("f(x=[1, 2))", 9, "expected ',' or ']'", "found ')'");
        fails("adam(lr=1))", 10, "expected the end of the spec", "found ')'");
        fails("adam(", 5, "expected a value", "the end of the text");
    }

    @Test
    void missingOrBadValues() {
        fails("adam(lr=)", 8, "expected a value for lr", "found ')'");
        fails("adam(LR=)", 8, "expected a value for LR");
        fails("adam(lr=, eps=1)", 8, "found ','");
        fails("adam(lr 0.1)", 8, "expected ',' or ')'", "found '0.1'");
        fails("adam(lr==1)", 8, "expected a value for lr", "found '='");
        fails("adam(lr=1) x", 11, "expected the end of the spec", "found 'x'");
        fails("adam(lr=1,)", 10, "expected an argument", "trailing commas are not allowed", "found ')'");
        fails("f(x=(1,))", 7, "expected a value", "trailing commas");
        fails("f(x=[1, ])", 8, "trailing commas");
        fails("f(x=#)", 4, "expected a value for x", "found '#'");
    }

    @Test
    void badNumbers() {
        fails("adam(lr=1e)", 10, "expected a digit", "the exponent of 1e", "found ')'");
        fails("adam(lr=1e+)", 11, "expected a digit", "1e+");
        fails("f(1x)", 2, "expected a number", "found '1x'");
        fails("f(1.2.3)", 2, "expected a number", "found '1.2.3'");
        fails("f(-)", 2, "expected a number", "found '-'");
        fails("f(.)", 2, "expected a number", "found '.'");
        fails("f(.e3)", 2, "expected a number");
        fails("f(-infinity)", 2, "found '-infinity'");
        fails("f(9223372036854775808)", 2, "64 bits", "9223372036854775808");
        fails("f(1e999)", 2, "range of a double", "1e999");
    }

    @Test
    void nanIsRejected() {
        fails("adam(lr=nan)", 8, "expected a number", "'nan'");
        fails("f(NaN)", 2, "'NaN'");
        fails("f(-nan)", 2, "expected a number", "'-nan'");
    }

    @Test
    void badStrings() {
        fails("adam(s='abc)", 7, "expected a closing '", "the end of the text");
        fails("adam(s=\"abc)", 7, "expected a closing \"");
        fails("f('a\\q')", 4, "expected an escape", "'\\q'");
        fails("f('abc\\", 2, "expected a closing '");
    }

    @Test
    void badKeysAndArgumentOrder() {
        fails("adam(1x=2)", 5, "expected a key", "found '1x'");
        fails("adam(=2)", 5, "expected a key", "found '='");
        fails("adam(a-b=2)", 5, "expected a key", "found 'a-b'");
        fails("adam(lr=0.1, 0.9)", 13, "expected key=value", "positional value 0.9", "must come before named");
        fails("lookahead(k=5, adam(lr=1))", 15, "positional value adam(lr=1)");
        fails("adam(lr=1, LR=2)", 11, "'LR' again", "first given at offset 5", "case-insensitive");
        fails("c(T_max=1, t_max=2)", 11, "'t_max'");
    }

    @Test
    void topLevelMustBeAName() {
        fails("123", 0, "expected a name such as adam", "found '123'");
        fails("(1, 2)", 0, "found '('");
        fails("'adam'", 0, "found '''");
        fails("  ,", 2, "found ','");
    }

    @Test
    void errorMessagesStayOnOneLine() {
        SpecException e = fails("adam(\n lr=)", 10, "expected a value for lr");
        assertTrue(e.getMessage().contains("adam(\\n lr=)"), e.getMessage());
        assertFalse(new SpecException("a\nb\r\tc").getMessage().contains("\n"));
        assertEquals(-1, new SpecException("x").position());
    }

    @Test
    void parseListSplitsOnTopLevelSeparators() {
        String text = "sgd(lr=0.01); adam(lr=1e-3)";
        List<Spec> specs = SpecParser.parseList(text, ';');
        assertEquals(2, specs.size());
        assertEquals(SpecParser.parse("sgd(lr=0.01)"), specs.get(0));
        assertEquals("adam(lr=1e-3)", specs.get(1).source());
        assertEquals(14, specs.get(1).position());
    }

    @Test
    void parseListIgnoresSeparatorsInQuotesAndBrackets() {
        String text = "f(s='a;b'); g(s=\"c;\\\";d\", t=[1;2]) ; h";
        assertThrows(SpecException.class, () -> SpecParser.parseList(text, ';'));
        List<Spec> specs = SpecParser.parseList("f(s='a;b'); g(s=\"c;\\\";d\", t=(';')); h", ';');
        assertEquals(3, specs.size());
        assertEquals("a;b", specs.get(0).named().get("s"));
        assertEquals("c;\";d", specs.get(1).named().get("s"));
        assertEquals(List.of(";"), ((SpecSeq) specs.get(1).named().get("t")).items());
        assertEquals("h", specs.get(2).key());
        List<Spec> commas = SpecParser.parseList("a(x=1, y=(2, 3)), b", ',');
        assertEquals(List.of("a", "b"), commas.stream().map(Spec::key).toList());
    }

    @Test
    void parseListSkipsEmptyItems() {
        List<Spec> specs = SpecParser.parseList(" ; sgd(lr=1);; adam ;", ';');
        assertEquals(List.of("sgd", "adam"), specs.stream().map(Spec::key).toList());
        assertEquals(3, specs.get(0).position());
        assertEquals(List.of(), SpecParser.parseList("", ';'));
        assertEquals(List.of(), SpecParser.parseList(" ;  ; ", ';'));
        assertThrows(IllegalArgumentException.class, () -> SpecParser.parseList("a", '('));
    }

    @Test
    void parseListErrorsUseOffsetsInTheWholeText() {
        String text = "sgd(lr=1); adam(lr=)";
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parseList(text, ';'));
        checkError(e, text, 19, "expected a value for lr", "found ')'");
        String t2 = "sgd(lr=1) x; adam";
        checkError(assertThrows(SpecException.class, () -> SpecParser.parseList(t2, ';')), t2, 10, "found 'x'");
        String t3 = "sgd(lr=1); adam(lr=1e; b";
        checkError(assertThrows(SpecException.class, () -> SpecParser.parseList(t3, ';')), t3, 21, "found ';'");
        String t4 = "a; f(s='x\\";
        checkError(assertThrows(SpecException.class, () -> SpecParser.parseList(t4, ';')), t4, 7, "closing '");
        Spec nested = SpecParser.parseList("a; lookahead(adam(lr=1))", ';').get(1);
        assertEquals(13, ((Spec) nested.positional().get(0)).position());
    }
}
