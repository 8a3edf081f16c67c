package dev.descent.optim.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamesTest {
    private static final List<String> OPTIMIZERS =
            List.of("sgd", "adam", "adamw", "adagrad", "adadelta", "rmsprop", "radam", "nadam", "lbfgs");

    @Test
    void distanceIsOptimalStringAlignment() {
        assertEquals(0, Names.distance("adam", "adam"));
        assertEquals(1, Names.distance("adm", "adam"));
        assertEquals(2, Names.distance("amda", "adam"));
        assertEquals(1, Names.distance("adma", "adam"));
        assertEquals(2, Names.distance("sgd", "sdgx"));
        assertEquals(3, Names.distance("ca", "abc"));
        assertEquals(4, Names.distance("", "adam"));
        assertEquals(3, Names.distance("kitten", "sitting"));
    }

    @Test
    void closestFindsTyposCaseInsensitively() {
        assertEquals("adam", Names.closest("adm", OPTIMIZERS));
        assertEquals("adam", Names.closest("ADM", OPTIMIZERS));
        assertEquals("adam", Names.closest("amda", OPTIMIZERS));
        assertEquals("rmsprop", Names.closest("RMSProp", OPTIMIZERS));
        assertEquals("adadelta", Names.closest("adadelat", OPTIMIZERS));
        assertEquals("T_max", Names.closest("tmax", List.of("eta_min", "T_max", "last_epoch")));
    }

    @Test
    void closestBreaksTiesByCandidateOrder() {
        assertEquals("ac", Names.closest("ab", List.of("ac", "ad")));
        assertEquals("ad", Names.closest("ab", List.of("ad", "ac")));
        assertEquals("adam", Names.closest("adamx", List.of("adam", "adamw")));
        assertEquals("adamw", Names.closest("adamx", List.of("adamw", "adam")));
    }

    @Test
    void closestGivesUpBeyondTheThreshold() {
        assertNull(Names.closest("xyz", OPTIMIZERS));
        assertNull(Names.closest("anything", List.of()));
        // short words allow distance 2
        assertEquals("sgd", Names.closest("sxx", List.of("sgd")));
        assertNull(Names.closest("xxx", List.of("sgd")));
        // ten letters allow distance 5 but not 6
        assertEquals("abcdefghij", Names.closest("abcdeVWXYZ", List.of("abcdefghij")));
        assertNull(Names.closest("abcdUVWXYZ", List.of("abcdefghij")));
    }

    @Test
    void unknownListsSortedNamesAndSuggestion() {
        assertEquals("unknown optimizer 'adm'; did you mean 'adam'? valid names: adadelta, adagrad, adam, adamw, "
                + "lbfgs, nadam, radam, rmsprop, sgd", Names.unknown("optimizer", "adm", OPTIMIZERS));
        assertEquals("unknown problem 'zzzzzz'; valid names: rosenbrock, sphere",
                Names.unknown("problem", "zzzzzz", List.of("sphere", "rosenbrock")));
        assertEquals("unknown key for cosineannealinglr 'tmax'; did you mean 'T_max'? valid names: eta_min, "
                + "last_epoch, T_max", Names.unknown("key for cosineannealinglr", "tmax",
                List.of("T_max", "eta_min", "last_epoch")));
        assertEquals("unknown schedule 'x'; valid names: (none)", Names.unknown("schedule", "x", List.of()));
    }
}
