package dev.descent.lab.tune;

import java.util.Locale;

/** How a trial ended: it ran to the end, the pruner stopped it, or it failed (an exception or a non-finite score). */
public enum TrialState {
    /** Ran to the end with a finite score. */
    COMPLETE,
    /** Stopped early by the pruner; its score is the last one it reported. */
    PRUNED,
    /** Threw, or returned or reported a score that is not finite. */
    FAILED;

    /** The lower-case name used in study files and tables. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state with the lower-case name {@code id}. */
    static TrialState of(String id) {
        for (TrialState s : values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown trial state '" + id + "'; valid: complete, pruned, failed");
    }
}
