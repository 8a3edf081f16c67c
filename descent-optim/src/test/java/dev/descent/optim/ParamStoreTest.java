package dev.descent.optim;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flat parameter storage: layout, views, gradients and the errors for bad names and lengths. */
class ParamStoreTest {

    private static ParamStore threeParams() {
        return ParamStore.builder().add("a", 1).add("b", 7).add("c", 3, 11).build();
    }

    @Test
    void parametersAreLaidOutOneAfterAnother() {
        ParamStore store = threeParams();
        assertEquals(41, store.size());
        assertEquals(41, store.data().length);
        assertEquals(41, store.grad().length);
        List<Param> ps = store.params();
        assertEquals(List.of("a", "b", "c"), ps.stream().map(Param::name).toList());
        assertArrayEquals(new int[] {0, 1, 8}, ps.stream().mapToInt(Param::offset).toArray());
        assertArrayEquals(new int[] {1, 7, 33}, ps.stream().mapToInt(Param::size).toArray());
        assertArrayEquals(new int[] {0, 1, 2}, ps.stream().mapToInt(Param::index).toArray());
        assertArrayEquals(new int[] {3, 11}, store.param("c").shape());
        assertSame(store, store.param(2).store());
        assertSame(store.param(1), store.param("b"));
        assertEquals("c[3, 11]", store.param("c").toString());
    }

    @Test
    void aScalarShapeHasOneElementAndAZeroDimensionNone() {
        ParamStore store = ParamStore.builder().add("s").add("empty", 4, 0).add("v", 2).build();
        assertEquals(1, store.param("s").size());
        assertEquals(0, store.param("empty").size());
        assertEquals(1, store.param("v").offset());
        assertEquals(3, store.size());
    }

    @Test
    void setWritesOnlyTheParametersSliceOfTheFlatArray() {
        ParamStore store = threeParams();
        float[] b = {1, 2, 3, 4, 5, 6, 7};
        store.param("b").set(b);
        assertEquals(0f, store.data()[0]);
        assertArrayEquals(b, java.util.Arrays.copyOfRange(store.data(), 1, 8));
        assertEquals(0f, store.data()[8]);
        assertArrayEquals(b, store.param("b").values());
    }

    @Test
    void valuesAndGradAreCopies() {
        ParamStore store = ParamStore.of("w", 1f, 2f);
        Param w = store.param(0);
        w.values()[0] = 99f;
        w.setGrad(3f, 4f);
        w.grad()[0] = 99f;
        assertArrayEquals(new float[] {1f, 2f}, w.values());
        assertArrayEquals(new float[] {3f, 4f}, w.grad());
        w.shape()[0] = 5;
        assertArrayEquals(new int[] {2}, w.shape());
    }

    @Test
    void ofWrapsOneVector() {
        ParamStore store = ParamStore.of("w", 1.5f, -2f, 3f);
        assertEquals(1, store.params().size());
        assertArrayEquals(new int[] {3}, store.param(0).shape());
        assertArrayEquals(new float[] {1.5f, -2f, 3f}, store.data());
    }

    @Test
    void gradientStartsUndefinedAndSetGradDefinesIt() {
        ParamStore store = threeParams();
        Param b = store.param("b");
        assertFalse(b.hasGrad());
        b.setGrad(1, 2, 3, 4, 5, 6, 7);
        assertTrue(b.hasGrad());
        assertFalse(store.param("a").hasGrad());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7}, java.util.Arrays.copyOfRange(store.grad(), 1, 8));
        assertEquals(0f, store.grad()[0]);
        assertEquals(0f, store.grad()[8]);
    }

    @Test
    void writingTheFlatGradientNeedsMarking() {
        ParamStore store = threeParams();
        java.util.Arrays.fill(store.grad(), 1f);
        assertFalse(store.param("a").hasGrad());
        store.param("a").markGradDefined();
        assertTrue(store.param("a").hasGrad());
        assertFalse(store.param("c").hasGrad());
        store.markGradsDefined();
        assertTrue(store.params().stream().allMatch(Param::hasGrad));
    }

    @Test
    void zeroGradClearsOnlyItsOwnSlice() {
        ParamStore store = threeParams();
        java.util.Arrays.fill(store.grad(), 2f);
        store.markGradsDefined();
        store.param("b").zeroGrad(false);
        assertTrue(store.param("b").hasGrad());
        assertArrayEquals(new float[7], store.param("b").grad());
        assertEquals(2f, store.grad()[0]);
        assertEquals(2f, store.grad()[8]);
        store.param("c").zeroGrad(true);
        assertFalse(store.param("c").hasGrad());
        assertArrayEquals(new float[33], store.param("c").grad());
        assertEquals(2f, store.grad()[0]);
    }

    @Test
    void duplicateNamesAreRejected() {
        ParamStore.Builder builder = ParamStore.builder().add("w", 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.add("w", 3));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
        assertTrue(e.getMessage().contains("already"), e.getMessage());
    }

    @Test
    void emptyNamesAndNegativeDimensionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ParamStore.builder().add("", 2));
        assertThrows(IllegalArgumentException.class, () -> ParamStore.builder().add(null, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParamStore.builder().add("w", 2, -1));
        assertTrue(e.getMessage().contains("[2, -1]"), e.getMessage());
    }

    @Test
    void setWithTheWrongLengthNamesTheParameterAndBothSizes() {
        ParamStore store = threeParams();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.param("b").set(new float[6]));
        assertMentions(e, "'b'", "7", "6");
        assertArrayEquals(new float[41], store.data(), "a rejected set writes nothing");
    }

    @Test
    void setGradWithTheWrongLengthNamesTheParameterAndBothSizesAndLeavesItUndefined() {
        ParamStore store = threeParams();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.param("c").setGrad(new float[34]));
        assertMentions(e, "'c'", "33", "34");
        assertFalse(store.param("c").hasGrad());
        assertArrayEquals(new float[41], store.grad());
    }

    @Test
    void anUnknownNameListsTheNamesTheStoreHolds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> threeParams().param("d"));
        assertMentions(e, "'d'", "[a, b, c]");
    }

    static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message should mention " + part + ": " + e.getMessage());
        }
    }
}
