/**
 * Dense float32 tensors and reverse-mode automatic differentiation on an explicit tape.
 *
 * <p>A {@link dev.descent.tensor.Tensor} is a shape and a row-major view into a {@code float[]}; model
 * parameters are views into a {@link dev.descent.optim.ParamStore}, so an optimizer updates exactly what
 * the layers read. Ops ({@link dev.descent.tensor.Ops}, {@link dev.descent.tensor.Activations}, the
 * losses in {@code dev.descent.nn}) take a {@link dev.descent.tensor.Tape} first, compute their result
 * at once, and record their gradient rule when an input takes a gradient:
 *
 * <pre>
 *   Tape tape = new Tape();
 *   Tensor w = Tensor.variable(new float[] {1f, 2f}, 2);
 *   Tensor x = Tensor.of(new float[] {3f, 4f}, 2);
 *   Tensor y = Ops.sum(tape, Activations.relu(tape, Ops.mul(tape, w, x)));
 *   tape.backward(y);            // w.gradToArray() is now {3, 4}
 *   tape.reset();                // recycle the buffers before the next pass
 * </pre>
 *
 * <p>Rules that matter to callers: gradients <em>accumulate</em> into leaves and parameters (zero them
 * before each step); tensors made on a tape are invalid after its {@code reset()}; an
 * {@link dev.descent.tensor.Tape#inference()} tape records nothing (PyTorch's {@code no_grad}); there is
 * no global state, so two threads with two tapes and two models never interfere. Every matrix product,
 * forward and backward, goes through {@link dev.descent.tensor.Gemm#sgemm}. To write an op outside this
 * package, use the tape's {@code result}, {@code buffer}, {@code record} and {@code grad} methods as
 * {@code dev.descent.nn.Losses} does.
 */
package dev.descent.tensor;
