/**
 * Learning-rate and momentum schedules with PyTorch 1.13's semantics, plus Keras's PiecewiseConstantDecay and
 * InverseTimeDecay, a linear warm-up in front of any schedule, and the inverse-square-root schedule.
 *
 * <p>A {@link dev.descent.optim.schedule.Schedule} is an immutable description, usually parsed from a spec by
 * {@link dev.descent.optim.schedule.Schedules#parse(String)}. Starting it over the groups' base values
 * ({@link dev.descent.optim.schedule.GroupBase}) gives a {@link dev.descent.optim.schedule.Scheduler}: call
 * {@code step()} after each optimizer step and read {@code lr(g)} and {@code momentum(g)} for the next one.
 * The scheduler's {@code state()} is a small map (the step count, the bases, and history only where PyTorch's
 * values depend on it); saved with the optimizer and loaded into a scheduler started from the same spec, it
 * gives exactly the values the uninterrupted run would have had. docs/SCHEDULES.md has the formulas and
 * PyTorch's quirks.
 */
package dev.descent.optim.schedule;
