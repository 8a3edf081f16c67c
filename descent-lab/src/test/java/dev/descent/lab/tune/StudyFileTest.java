package dev.descent.lab.tune;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudyFileTest {
    private static final SearchSpace SPACE = SearchSpace.parse("sgd(lr=loguniform(1e-4, 1.0), momentum=choice(0.0, 0.9))");

    @Test
    void writesOneJsonLinePerTrialAndReadsItBackExactly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.jsonl");
        Study study = new Study(SPACE, new RandomSampler(1), Pruner.NONE, 1, 1, file);
        List<TrialRecord> records = study.optimize(3, trial -> {
            trial.report(1, 2.5);
            return trial.number() == 1 ? Double.NaN : 0.1 * trial.number();
        });
        List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size());
        assertTrue(lines.get(0).startsWith("{\"descent_study\":1,\"space\":\"sgd(lr=loguniform(1e-4, 1.0), momentum=choice(0.0, 0.9))\""), lines.get(0));
        assertTrue(lines.get(2).contains("\"state\":\"failed\",\"score\":null"), lines.get(2));
        assertTrue(lines.get(1).contains("\"params\":{\"lr\":") && lines.get(1).contains("\"momentum\":\"0."), lines.get(1));
        List<TrialRecord> back = study.readStudyFile();
        assertEquals(3, back.size());
        for (int k = 0; k < 3; k++) {
            assertEquals(records.get(k).spec(), back.get(k).spec());
            assertEquals(records.get(k).values()[0], back.get(k).values()[0]);
            assertEquals(records.get(k).state(), back.get(k).state());
            assertEquals(records.get(k).intermediate(), back.get(k).intermediate());
            assertEquals(Double.doubleToLongBits(records.get(k).score()), Double.doubleToLongBits(back.get(k).score()));
        }
    }

    @Test
    void aDamagedLineIsAnErrorNamingTheFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.jsonl");
        Study study = new Study(SPACE, new RandomSampler(1), Pruner.NONE, 1, 1, file);
        study.optimize(2, trial -> 1.0);
        List<String> lines = Files.readAllLines(file);
        Files.write(file, List.of(lines.get(0), lines.get(1), "{\"number\":1,\"state\":\"done\",\"values\":[0.1,0]}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, study::readStudyFile);
        assertEquals("study file " + file + " line 3: unknown trial state 'done'; valid: complete, pruned, failed", e.getMessage());
        Files.write(file, List.of(lines.get(0), "{oops"));
        e = assertThrows(IllegalArgumentException.class, study::readStudyFile);
        assertTrue(e.getMessage().startsWith("study file " + file + " line 2: not JSON"), e.getMessage());
    }
}
