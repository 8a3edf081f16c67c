/**
 * Layers, models, losses and metrics on top of {@code dev.descent.tensor}, with PyTorch's names and
 * semantics.
 *
 * <p>A {@link dev.descent.nn.Module} declares its parameters; a {@link dev.descent.nn.Model} lays a module
 * tree out in one {@link dev.descent.optim.ParamStore} (names such as {@code 0.weight}, {@code 3.bias}) and
 * initializes it from a seed, which also seeds every dropout mask. Build one by hand or from a spec with
 * {@link dev.descent.nn.Models}. One training step and an evaluation:
 *
 * <pre>
 *   Model model = Models.build("mlp(hidden=[128], dropout=0.2)", new int[] {784}, 10, seed);
 *   Optimizer opt = Optimizers.parse("adam(lr=1e-3)").build(model.params());
 *   Tape tape = new Tape();                                    // one per thread, reused every step
 *
 *   model.train();
 *   tape.reset();                                              // recycles last step's buffers
 *   Tensor x = Tensor.view(images, start * 784, batch, 784);   // a view, no copy
 *   Tensor loss = Losses.crossEntropy(tape, model.forward(tape, x), labels, start);
 *   opt.zeroGrad();                                            // gradients accumulate
 *   tape.backward(loss);                                       // fills model.store().grad()
 *   opt.step();
 *   float lossValue = loss.item();                             // read before the next reset
 *
 *   model.eval();                                              // dropout off
 *   Tensor logits = model.forward(Tape.inference(), x);        // records nothing
 *   int right = Metrics.correct(logits, labels, start);
 * </pre>
 * Parameter-group rules ({@code bias: weight_decay=0}) match the model's parameter names, and
 * {@link dev.descent.nn.Model#tensors(String)} selects parameters by the same kind of pattern for
 * {@link dev.descent.nn.Losses#l2Penalty}. Shape errors name the layer's path, the layer and both shapes.
 */
package dev.descent.nn;
