package dev.descent.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix multiply on row-major arrays: {@code C = op(A) * op(B)}, or {@code C += ...} when
 * accumulating, where {@code op(X)} is X or its transpose.
 *
 * <p>Shapes: op(A) is m x k, op(B) is k x n, C is m x n. Each matrix is given by its array, the offset of
 * its first element and its leading dimension (the distance between the starts of two rows as stored): A
 * is stored m x k (lda >= k), or k x m when {@code transA} (lda >= m); B is stored k x n (ldb >= n), or
 * n x k when {@code transB} (ldb >= k); C is stored m x n (ldc >= n).
 *
 * <p>This is the contract every layer uses; the implementation behind it may change.
 *
 * <p>Implementation (the usual blocked algorithm of Goto and van de Geijn, "Anatomy of high-performance
 * matrix multiplication", ACM TOMS 2008): k is cut into blocks of {@link #KC}; for each block, op(B) is
 * copied into panels of {@link #NR} columns (the copy does the transpose, so one micro-kernel serves all
 * four cases) and op(A) is read in slivers of {@link #MR} rows, copied into panels too when the product is
 * large. The micro-kernel keeps an MR x NR tile of C in 2 x MR vector registers of the preferred species
 * and updates it with {@code fma} for every k of the block. Products of at least {@link #SPLIT_FLOPS}
 * flops are cut, along the larger of m and n, into one chunk per thread of {@link Parallel}. Small shapes
 * take shortcuts: with B stored transposed and few rows of C, the product is computed as
 * C^T = op(B)^T op(A)^T, so that B is read in place and only the smaller A is transposed; products of at
 * most {@link #ROWS_MAX} rows skip packing altogether.
 *
 * <p>Results do not depend on the thread count nor, except in the two cases below, on the path taken or
 * on how many other rows or columns the product has: every element of C is
 * {@code C_start + s_0 + s_1 + ...} added in this order, where {@code s_b} is the fma chain, in k order
 * and starting from zero, over k-block b (and C_start is 0 without accumulation). Within one k-block this
 * is the rounding of {@link #scalar}. The exceptions: at most ROWS_MAX rows with B stored transposed are
 * dot products over vector lanes, summed at the end, and so are products with a small C and a long k
 * ({@link #DOT_OUTPUTS}).
 */
public final class Gemm {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Floats in one vector of the preferred species (8 with AVX2, 16 with AVX-512). */
    static final int LANES = SPECIES.length();
    /** Rows of the micro-kernel's tile of C. */
    static final int MR = 6;
    /** Columns of the micro-kernel's tile of C: two vectors. */
    static final int NR = 2 * LANES;
    /** Depth of one k-block: a KC x NR panel of B stays in L1 while the kernel sweeps down a column of tiles. */
    static final int KC = 256;
    /** Rows of A packed at once (a multiple of MR): an MC x KC block of packed A stays in L2. */
    static final int MC = 48 * MR;
    /** Columns of B packed at once (a multiple of NR): a KC x NC block of packed B stays in L3. */
    static final int NC = 4096 / NR * NR;
    /**
     * Products of at least this many flops (2mnk) are split across threads: the tutorial MLP's two large
     * products at batch 128 (25.7 Mflop each) are, which made its epoch about a quarter faster on two cores.
     */
    static final long SPLIT_FLOPS = 1L << 24;
    /**
     * Products of at least this many flops and {@link #PACK_A_COLUMNS} columns copy A into panels (cheaper
     * than reading it strided when each sliver is used for many column panels; the copy is scalar).
     */
    static final long PACK_A_FLOPS = 1L << 24;
    /** See {@link #PACK_A_FLOPS}. */
    static final int PACK_A_COLUMNS = 512;
    /** Products with at most this many rows skip packing: row by row, B read in place. */
    static final int ROWS_MAX = 2;

    /**
     * Products with B stored transposed, A not, at most this many elements of C and a depth of at least
     * {@link #DOT_DEPTH} are tiles of dot products (such as a small convolution's weight gradient, 32 x 9 over
     * hundreds of pixels, where panels of NR columns would be mostly padding).
     */
    static final int DOT_OUTPUTS = 1024;
    /** See {@link #DOT_OUTPUTS}. */
    static final int DOT_DEPTH = 256;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private Gemm() {
    }

    /** {@code C (+)= op(A) * op(B)}; see the class documentation for the layout. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        if (m <= ROWS_MAX) {
            if (transB) {
                dots(transA, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            } else {
                rows(transA, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            }
            return;
        }
        if (transB && !transA && (long) m * n <= DOT_OUTPUTS && k >= DOT_DEPTH) {
            dotTiles(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        if (transB && transposedCost(transA, m, n, k) < (long) k * n) {
            // C^T = op(B)^T op(A)^T: B as stored is then read in place and A (small here) is the operand
            // that gets transposed while packing; the kernel's tiles are stored transposed.
            split(!transB, !transA, n, m, k, b, bOff, ldb, a, aOff, lda, c, cOff, ldc, accumulate, true);
        } else {
            split(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, false);
        }
    }

    /**
     * Scalar steps, roughly, of the transposed form: copying op(A) with a transpose when A is not stored
     * transposed, and storing every tile element by element, once per k-block. The direct form with B
     * stored transposed costs k * n (copying op(B) with a transpose).
     */
    private static long transposedCost(boolean transA, int m, int n, int k) {
        return (transA ? 0 : (long) m * k) + (long) m * n * ((k + KC - 1) / KC);
    }

    /**
     * Runs the blocked algorithm, cut into chunks across threads when the product is large. With
     * {@code transC}, the m x n result goes to C transposed: element (i, j) at {@code c[cOff + j * ldc + i]}.
     */
    private static void split(boolean transA, boolean transB, int m, int n, int k,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate, boolean transC) {
        long flops = 2L * m * n * k;
        boolean packA = flops >= PACK_A_FLOPS && n >= PACK_A_COLUMNS;
        int chunks = flops >= SPLIT_FLOPS ? Parallel.available() : 1;
        int cRow = transC ? 1 : ldc;
        int cCol = transC ? ldc : 1;
        if (n >= m) {
            int per = roundUp((n + chunks - 1) / chunks, NR);
            chunks = Math.min(chunks, (n + per - 1) / per);
            if (chunks == 1) {
                blocked(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, packA, transC);
                return;
            }
            Parallel.run(chunks, t -> {
                int j0 = t * per;
                int w = Math.min(per, n - j0);
                blocked(transA, transB, m, w, k, a, aOff, lda, b, transB ? bOff + j0 * ldb : bOff + j0, ldb,
                        c, cOff + j0 * cCol, ldc, accumulate, packA, transC);
            });
        } else {
            int per = roundUp((m + chunks - 1) / chunks, MR);
            chunks = Math.min(chunks, (m + per - 1) / per);
            if (chunks == 1) {
                blocked(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, packA, transC);
                return;
            }
            Parallel.run(chunks, t -> {
                int i0 = t * per;
                int h = Math.min(per, m - i0);
                blocked(transA, transB, h, n, k, a, transA ? aOff + i0 : aOff + i0 * lda, lda, b, bOff, ldb,
                        c, cOff + i0 * cRow, ldc, accumulate, packA, transC);
            });
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /** The blocked algorithm on one thread (m, n, k > 0); {@code transC} as in {@link #split}. */
    static void blocked(boolean transA, boolean transB, int m, int n, int k,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate, boolean packA, boolean transC) {
        Buffers buffers = BUFFERS.get();
        float[] bp = buffers.b(Math.min(KC, k) * roundUp(Math.min(NC, n), NR));
        float[] ap = packA ? buffers.a(Math.min(KC, k) * roundUp(Math.min(MC, m), MR)) : null;
        float[] tile = buffers.tile;
        int rs = transA ? 1 : lda;
        int cs = transA ? lda : 1;
        int cRow = transC ? 1 : ldc;
        int cCol = transC ? ldc : 1;
        for (int jc = 0; jc < n; jc += NC) {
            int nb = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kb = Math.min(KC, k - pc);
                boolean overwrite = !accumulate && pc == 0;
                packB(transB, b, bOff, ldb, pc, kb, jc, nb, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mb = Math.min(MC, m - ic);
                    if (packA) {
                        packA(transA, a, aOff, lda, ic, mb, pc, kb, ap);
                    }
                    for (int jr = 0; jr < nb; jr += NR) {
                        int nr = Math.min(NR, nb - jr);
                        int bBase = jr * kb;
                        for (int ir = 0; ir < mb; ir += MR) {
                            int mr = Math.min(MR, mb - ir);
                            int cBase = cOff + (ic + ir) * cRow + (jc + jr) * cCol;
                            float[] x = packA ? ap : a;
                            int aBase = packA ? ir * kb : aOff + (ic + ir) * rs + pc * cs;
                            int xrs = packA ? 1 : rs;
                            int xcs = packA ? MR : cs;
                            if (mr == MR && nr == NR && !transC) {
                                kernel(kb, x, aBase, xrs, xcs, mr, bp, bBase, c, cBase, ldc, overwrite);
                            } else {
                                kernel(kb, x, aBase, xrs, xcs, mr, bp, bBase, tile, 0, NR, true);
                                merge(tile, mr, nr, c, cBase, cRow, cCol, overwrite);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Stores the first mr x nr values of a tile computed into {@code tile} (row length NR) into C, where
     * consecutive rows are {@code cRow} apart and consecutive columns {@code cCol}: edge tiles, and every
     * tile of a transposed result.
     */
    private static void merge(float[] tile, int mr, int nr, float[] c, int cBase, int cRow, int cCol,
            boolean overwrite) {
        for (int r = 0; r < mr; r++) {
            int t = r * NR;
            int at = cBase + r * cRow;
            for (int j = 0; j < nr; j++, at += cCol) {
                c[at] = overwrite ? tile[t + j] : c[at] + tile[t + j];
            }
        }
    }

    /**
     * Copies rows [pc, pc + kb) and columns [jc, jc + nb) of op(B) into panels of NR columns: panel q holds,
     * for each of the kb rows in turn, its NR values (the last panel's columns past nb are left as they are:
     * the kernel computes them but never stores them).
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kb, int jc, int nb,
            float[] bp) {
        for (int jr = 0; jr < nb; jr += NR) {
            int w = Math.min(NR, nb - jr);
            int panel = jr * kb;
            if (!transB) {
                int src = bOff + pc * ldb + jc + jr;
                if (w == NR) {
                    for (int p = 0; p < kb; p++, src += ldb) {
                        int dst = panel + p * NR;
                        FloatVector.fromArray(SPECIES, b, src).intoArray(bp, dst);
                        FloatVector.fromArray(SPECIES, b, src + LANES).intoArray(bp, dst + LANES);
                    }
                } else {
                    for (int p = 0; p < kb; p++, src += ldb) {
                        System.arraycopy(b, src, bp, panel + p * NR, w);
                    }
                }
            } else {
                for (int jj = 0; jj < w; jj++) {
                    int src = bOff + (jc + jr + jj) * ldb + pc;
                    int dst = panel + jj;
                    for (int p = 0; p < kb; p++) {
                        bp[dst + p * NR] = b[src + p];
                    }
                }
            }
        }
    }

    /**
     * Copies rows [ic, ic + mb) and columns [pc, pc + kb) of op(A) into panels of MR rows: panel q holds, for
     * each of the kb columns in turn, its MR values (fewer in the last panel).
     */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mb, int pc, int kb,
            float[] ap) {
        for (int ir = 0; ir < mb; ir += MR) {
            int h = Math.min(MR, mb - ir);
            int panel = ir * kb;
            if (transA) {
                int src = aOff + pc * lda + ic + ir;
                for (int p = 0; p < kb; p++, src += lda) {
                    int dst = panel + p * MR;
                    for (int r = 0; r < h; r++) {
                        ap[dst + r] = a[src + r];
                    }
                }
            } else {
                for (int r = 0; r < h; r++) {
                    int src = aOff + (ic + ir + r) * lda + pc;
                    int dst = panel + r;
                    for (int p = 0; p < kb; p++) {
                        ap[dst + p * MR] = a[src + p];
                    }
                }
            }
        }
    }

    /**
     * The micro-kernel: the MR x NR tile at {@code d[dBase]} (rows {@code ldd} apart) gets (or, when
     * {@code overwrite}, becomes) the product of an MR x kb sliver of op(A) and a kb x NR panel of packed B.
     * Row r of the sliver holds element p at {@code a[aBase + r * rs + p * cs]}; rows past {@code mr}
     * repeat the last one. It has one path whatever the tile (edges go through {@link #merge}), so that the
     * JIT never meets an untried branch in it and falls back to the interpreter.
     */
    private static void kernel(int kb, float[] a, int aBase, int rs, int cs, int mr, float[] bp, int bBase,
            float[] d, int dBase, int ldd, boolean overwrite) {
        int last = mr - 1;
        int a0 = aBase;
        int a1 = aBase + Math.min(1, last) * rs;
        int a2 = aBase + Math.min(2, last) * rs;
        int a3 = aBase + Math.min(3, last) * rs;
        int a4 = aBase + Math.min(4, last) * rs;
        int a5 = aBase + Math.min(5, last) * rs;
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        for (int p = 0; p < kb; p++) {
            int bi = bBase + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + LANES);
            int ai = p * cs;
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[a1 + ai]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[a2 + ai]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[a3 + ai]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[a4 + ai]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[a5 + ai]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        store(d, dBase, c00, c01, overwrite);
        store(d, dBase + ldd, c10, c11, overwrite);
        store(d, dBase + 2 * ldd, c20, c21, overwrite);
        store(d, dBase + 3 * ldd, c30, c31, overwrite);
        store(d, dBase + 4 * ldd, c40, c41, overwrite);
        store(d, dBase + 5 * ldd, c50, c51, overwrite);
    }

    private static void store(float[] c, int at, FloatVector v0, FloatVector v1, boolean overwrite) {
        if (!overwrite) {
            v0 = FloatVector.fromArray(SPECIES, c, at).add(v0);
            v1 = FloatVector.fromArray(SPECIES, c, at + LANES).add(v1);
        }
        v0.intoArray(c, at);
        v1.intoArray(c, at + LANES);
    }

    private static void store(float[] c, int at, FloatVector v, boolean overwrite) {
        if (!overwrite) {
            v = FloatVector.fromArray(SPECIES, c, at).add(v);
        }
        v.intoArray(c, at);
    }

    /** Stores the first {@code count} (1..LANES) lanes of v at {@code c[at]}. */
    private static void storeMasked(float[] c, int at, FloatVector v, int count, boolean overwrite) {
        if (count == LANES) {
            store(c, at, v, overwrite);
            return;
        }
        VectorMask<Float> mask = SPECIES.indexInRange(0, count);
        if (!overwrite) {
            v = FloatVector.fromArray(SPECIES, c, at, mask).add(v);
        }
        v.intoArray(c, at, mask);
    }

    /**
     * Few rows, B not transposed: each row of C is built in place from the rows of B, four vectors of
     * columns at a time, with the same k-blocks and order as the kernel.
     */
    private static void rows(boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        int cs = transA ? lda : 1;
        int wide = 4 * LANES;
        for (int i = 0; i < m; i++) {
            int aRow = aOff + (transA ? i : i * lda);
            int cRow = cOff + i * ldc;
            for (int pc = 0; pc < k; pc += KC) {
                int kb = Math.min(KC, k - pc);
                boolean overwrite = !accumulate && pc == 0;
                int j = 0;
                for (; j + wide <= n; j += wide) {
                    FloatVector s0 = FloatVector.zero(SPECIES);
                    FloatVector s1 = s0;
                    FloatVector s2 = s0;
                    FloatVector s3 = s0;
                    int bi = bOff + pc * ldb + j;
                    int ai = aRow + pc * cs;
                    for (int p = 0; p < kb; p++, bi += ldb, ai += cs) {
                        FloatVector x = FloatVector.broadcast(SPECIES, a[ai]);
                        s0 = x.fma(FloatVector.fromArray(SPECIES, b, bi), s0);
                        s1 = x.fma(FloatVector.fromArray(SPECIES, b, bi + LANES), s1);
                        s2 = x.fma(FloatVector.fromArray(SPECIES, b, bi + 2 * LANES), s2);
                        s3 = x.fma(FloatVector.fromArray(SPECIES, b, bi + 3 * LANES), s3);
                    }
                    store(c, cRow + j, s0, s1, overwrite);
                    store(c, cRow + j + 2 * LANES, s2, s3, overwrite);
                }
                for (; j < n; j += LANES) {
                    int count = Math.min(LANES, n - j);
                    VectorMask<Float> mask = SPECIES.indexInRange(0, count);
                    FloatVector s = FloatVector.zero(SPECIES);
                    int bi = bOff + pc * ldb + j;
                    int ai = aRow + pc * cs;
                    for (int p = 0; p < kb; p++, bi += ldb, ai += cs) {
                        FloatVector x = FloatVector.broadcast(SPECIES, a[ai]);
                        s = x.fma(FloatVector.fromArray(SPECIES, b, bi, mask), s);
                    }
                    storeMasked(c, cRow + j, s, count, overwrite);
                }
            }
        }
    }

    /**
     * Few rows, B stored transposed: each element of C is a dot product of a row of op(A) (copied once) and
     * a row of B as stored, both contiguous, four columns of C at a time. The lanes hold partial sums that
     * are added up at the end, so this path rounds differently from the others.
     */
    private static void dots(boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        float[] row = BUFFERS.get().row(k);
        int kv = SPECIES.loopBound(k);
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                row[p] = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
            }
            int cRow = cOff + i * ldc;
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                int b0 = bOff + j * ldb;
                int b1 = b0 + ldb;
                int b2 = b1 + ldb;
                int b3 = b2 + ldb;
                FloatVector s0 = FloatVector.zero(SPECIES);
                FloatVector s1 = s0;
                FloatVector s2 = s0;
                FloatVector s3 = s0;
                int p = 0;
                for (; p < kv; p += LANES) {
                    FloatVector x = FloatVector.fromArray(SPECIES, row, p);
                    s0 = x.fma(FloatVector.fromArray(SPECIES, b, b0 + p), s0);
                    s1 = x.fma(FloatVector.fromArray(SPECIES, b, b1 + p), s1);
                    s2 = x.fma(FloatVector.fromArray(SPECIES, b, b2 + p), s2);
                    s3 = x.fma(FloatVector.fromArray(SPECIES, b, b3 + p), s3);
                }
                float t0 = s0.reduceLanes(VectorOperators.ADD);
                float t1 = s1.reduceLanes(VectorOperators.ADD);
                float t2 = s2.reduceLanes(VectorOperators.ADD);
                float t3 = s3.reduceLanes(VectorOperators.ADD);
                for (; p < k; p++) {
                    t0 = Math.fma(row[p], b[b0 + p], t0);
                    t1 = Math.fma(row[p], b[b1 + p], t1);
                    t2 = Math.fma(row[p], b[b2 + p], t2);
                    t3 = Math.fma(row[p], b[b3 + p], t3);
                }
                c[cRow + j] = accumulate ? c[cRow + j] + t0 : t0;
                c[cRow + j + 1] = accumulate ? c[cRow + j + 1] + t1 : t1;
                c[cRow + j + 2] = accumulate ? c[cRow + j + 2] + t2 : t2;
                c[cRow + j + 3] = accumulate ? c[cRow + j + 3] + t3 : t3;
            }
            for (; j < n; j++) {
                int bj = bOff + j * ldb;
                FloatVector s0 = FloatVector.zero(SPECIES);
                int p = 0;
                for (; p < kv; p += LANES) {
                    s0 = FloatVector.fromArray(SPECIES, row, p).fma(FloatVector.fromArray(SPECIES, b, bj + p), s0);
                }
                float t0 = s0.reduceLanes(VectorOperators.ADD);
                for (; p < k; p++) {
                    t0 = Math.fma(row[p], b[bj + p], t0);
                }
                c[cRow + j] = accumulate ? c[cRow + j] + t0 : t0;
            }
        }
    }

    /**
     * Small C, long k, B stored transposed and A not: every element of C is the dot product of a row of A and
     * a row of B, both contiguous, computed four rows by three columns at a time (twelve vector
     * accumulators; at the bottom and right edges the last row or column is computed again and not stored).
     * Like {@link #dots}, it rounds differently from the kernel: the lanes are summed at the end, then the
     * scalar tail is added. Each element's value does not depend on the tile it is computed in.
     */
    private static void dotTiles(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        int kv = SPECIES.loopBound(k);
        float[] t = BUFFERS.get().tile;
        for (int i = 0; i < m; i += 4) {
            int a0 = aOff + i * lda;
            int a1 = aOff + Math.min(i + 1, m - 1) * lda;
            int a2 = aOff + Math.min(i + 2, m - 1) * lda;
            int a3 = aOff + Math.min(i + 3, m - 1) * lda;
            for (int j = 0; j < n; j += 3) {
                int b0 = bOff + j * ldb;
                int b1 = bOff + Math.min(j + 1, n - 1) * ldb;
                int b2 = bOff + Math.min(j + 2, n - 1) * ldb;
                FloatVector s00 = FloatVector.zero(SPECIES);
                FloatVector s01 = s00;
                FloatVector s02 = s00;
                FloatVector s10 = s00;
                FloatVector s11 = s00;
                FloatVector s12 = s00;
                FloatVector s20 = s00;
                FloatVector s21 = s00;
                FloatVector s22 = s00;
                FloatVector s30 = s00;
                FloatVector s31 = s00;
                FloatVector s32 = s00;
                for (int p = 0; p < kv; p += LANES) {
                    FloatVector y0 = FloatVector.fromArray(SPECIES, b, b0 + p);
                    FloatVector y1 = FloatVector.fromArray(SPECIES, b, b1 + p);
                    FloatVector y2 = FloatVector.fromArray(SPECIES, b, b2 + p);
                    FloatVector x = FloatVector.fromArray(SPECIES, a, a0 + p);
                    s00 = x.fma(y0, s00);
                    s01 = x.fma(y1, s01);
                    s02 = x.fma(y2, s02);
                    x = FloatVector.fromArray(SPECIES, a, a1 + p);
                    s10 = x.fma(y0, s10);
                    s11 = x.fma(y1, s11);
                    s12 = x.fma(y2, s12);
                    x = FloatVector.fromArray(SPECIES, a, a2 + p);
                    s20 = x.fma(y0, s20);
                    s21 = x.fma(y1, s21);
                    s22 = x.fma(y2, s22);
                    x = FloatVector.fromArray(SPECIES, a, a3 + p);
                    s30 = x.fma(y0, s30);
                    s31 = x.fma(y1, s31);
                    s32 = x.fma(y2, s32);
                }
                t[0] = s00.reduceLanes(VectorOperators.ADD);
                t[1] = s01.reduceLanes(VectorOperators.ADD);
                t[2] = s02.reduceLanes(VectorOperators.ADD);
                t[3] = s10.reduceLanes(VectorOperators.ADD);
                t[4] = s11.reduceLanes(VectorOperators.ADD);
                t[5] = s12.reduceLanes(VectorOperators.ADD);
                t[6] = s20.reduceLanes(VectorOperators.ADD);
                t[7] = s21.reduceLanes(VectorOperators.ADD);
                t[8] = s22.reduceLanes(VectorOperators.ADD);
                t[9] = s30.reduceLanes(VectorOperators.ADD);
                t[10] = s31.reduceLanes(VectorOperators.ADD);
                t[11] = s32.reduceLanes(VectorOperators.ADD);
                for (int r = 0; r < 4 && i + r < m; r++) {
                    int ar = r == 0 ? a0 : r == 1 ? a1 : r == 2 ? a2 : a3;
                    for (int q = 0; q < 3 && j + q < n; q++) {
                        int bq = q == 0 ? b0 : q == 1 ? b1 : b2;
                        float sum = t[r * 3 + q];
                        for (int p = kv; p < k; p++) {
                            sum = Math.fma(a[ar + p], b[bq + p], sum);
                        }
                        int at = cOff + (i + r) * ldc + j + q;
                        c[at] = accumulate ? c[at] + sum : sum;
                    }
                }
            }
        }
    }

    /** Packing buffers of one thread, grown on demand and kept. */
    private static final class Buffers {
        private float[] a = new float[0];
        private float[] b = new float[0];
        private float[] row = new float[0];
        /** Where the kernel writes a tile at the bottom or right edge of C, for {@link #merge}. */
        final float[] tile = new float[MR * NR];

        float[] a(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] row(int size) {
            if (row.length < size) {
                row = new float[size];
            }
            return row;
        }

        float[] b(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }

    /**
     * The plain reference loop, the scalar twin the tests compare against (float accumulators with fma, in k
     * order, no k-blocks).
     */
    static void scalar(boolean transA, boolean transB, int m, int n, int k,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum = Math.fma(av, bv, sum);
                }
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + sum : sum;
            }
        }
    }

    static void checkArgs(boolean transA, boolean transB, int m, int n, int k,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: sizes must be non-negative, got m=" + m + " n=" + n + " k=" + k);
        }
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        checkMatrix("A", a, aOff, lda, aRows, aCols);
        checkMatrix("B", b, bOff, ldb, bRows, bCols);
        checkMatrix("C", c, cOff, ldc, m, n);
    }

    private static void checkMatrix(String name, float[] x, int off, int ld, int rows, int cols) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("gemm: leading dimension of " + name + " is " + ld
                    + ", expected at least " + cols);
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long last = off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > x.length) {
            throw new IllegalArgumentException("gemm: " + name + " (" + rows + "x" + cols + ", offset " + off
                    + ", leading dimension " + ld + ") needs " + last + " elements, the array has " + x.length);
        }
    }
}
