package dev.kiln.runtime.kernel;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.blas_set_num_threads;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemv;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Kiln's GEMM: OpenBLAS's {@code gemm} (the {@code openblas_nolapack} library nd4j-native loads itself) called
 * directly, single-threaded, on stripes of the output that {@link Workers} runs in parallel.
 *
 * <p>Measured on the 2-core machine for the eight GEMMs of a Fashion-MNIST MLP step (784-512-512-10, batch 128), alone:
 * 2.35-2.5 ms in two stripes, 2.36 ms for OpenBLAS's own 2 threads, 2.43-2.7 ms for {@code Nd4j.gemm} (oneDNN's
 * matmul in the onednn builds, on 2 OpenMP threads), 4.3 ms single-threaded. The stripes win in the step, not here:
 * OpenBLAS's threads and ND4J's OpenMP threads spin between calls and take the cores from the Java passes in between
 * (see {@link Workers}). So this class sets OpenBLAS to one thread when it loads; ND4J's own BLAS calls in the same JVM
 * run single-threaded too.
 */
final class Blas {
    /** Below this many multiply-adds, a GEMM runs whole on the calling thread (measured: splitting gains nothing). */
    private static final long SPLIT_MIN = 1 << 20;
    /** Stripe widths are multiples of this many columns (or rows): whole cache lines of float32. */
    private static final int ALIGN = 16;
    /** A row of zeros per thread, the source of the bulk copies that clear an output before an accumulating gemm. */
    private static final ThreadLocal<float[]> ZEROS = ThreadLocal.withInitial(() -> new float[4096]);

    static {
        blas_set_num_threads(1);
    }

    private Blas() {
    }

    /** Whether {@code c = a @ b} can go straight to BLAS: rank 2, contiguous, C-ordered, one float dtype. */
    static boolean direct(INDArray a, INDArray b, INDArray c) {
        DataType t = c.dataType();
        return (t == DataType.FLOAT || t == DataType.DOUBLE) && a.dataType() == t && b.dataType() == t
                && a.rank() == 2 && b.rank() == 2 && c.rank() == 2
                && Vec.isContiguous(a) && Vec.isContiguous(b) && Vec.isContiguous(c);
    }

    /**
     * {@code c = op(a) @ op(b) + beta c}, row-major, where {@code op} transposes when its flag is set: {@code c} is
     * (m, n), {@code op(a)} (m, k), {@code op(b)} (k, n). Splits the larger of m and n into one stripe per thread.
     */
    static void gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double beta) {
        Product p = new Product(a, b, c, transA, transB, beta);
        long work = (long) p.m * p.n * p.k;
        int length = Math.max(p.m, p.n);
        gemm(p, work < SPLIT_MIN ? 1 : Math.min(Workers.THREADS, length / ALIGN));
    }

    /**
     * The same product in {@code parts} stripes, shared out to Kiln's threads ({@link Workers#share}: one each, but a
     * thread that finishes first takes a late one's). More stripes than threads cost duplicated packing (4 stripes on
     * 2 threads: the MLP's GEMMs 8% slower alone), so a product gets one per thread; tests ask for other counts.
     */
    static void gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double beta, int parts) {
        gemm(new Product(a, b, c, transA, transB, beta), parts);
    }

    private static void gemm(Product p, int parts) {
        boolean byColumns = p.n >= p.m;
        int length = byColumns ? p.n : p.m;
        if (parts <= 1) {
            p.stripe(byColumns, 0, length);
            return;
        }
        int stripe = (length / parts + ALIGN - 1) / ALIGN * ALIGN;
        Workers.Job job = part -> {
            int from = Math.min(length, part * stripe);
            int to = part == parts - 1 ? length : Math.min(length, from + stripe);
            if (from < to) {
                p.stripe(byColumns, from, to);
            }
        };
        Workers.share(parts, job);
    }

    /** One GEMM's operands as BLAS sees them. */
    private static final class Product {
        final INDArray a;
        final INDArray b;
        final INDArray c;
        final boolean transA;
        final boolean transB;
        final double beta;
        final int m;
        final int n;
        final int k;

        Product(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double beta) {
            this.a = a;
            this.b = b;
            this.c = c;
            this.transA = transA;
            this.transB = transB;
            this.beta = beta;
            this.m = (int) c.size(0);
            this.n = (int) c.size(1);
            this.k = (int) (transA ? a.size(0) : a.size(1));
        }

        /** Columns (or rows) {@code [from, to)} of {@code c}. */
        void stripe(boolean columns, int from, int to) {
            int lda = (int) a.size(1);
            int ldb = (int) b.size(1);
            int rows = columns ? m : to - from;
            int cols = columns ? to - from : n;
            // Offsets, in elements, of the stripe's first element in a, b and c.
            long aOffset = columns ? 0 : transA ? from : (long) from * lda;
            long bOffset = columns ? (transB ? (long) from * ldb : from) : 0;
            long cOffset = columns ? from : (long) from * n;
            if (rows == 1) {
                rowTimesMatrix(aOffset, bOffset, cOffset, lda, ldb, cols);
                return;
            }
            int ta = transA ? CblasTrans : CblasNoTrans;
            int tb = transB ? CblasTrans : CblasNoTrans;
            if (c.dataType() == DataType.FLOAT) {
                float betaF = (float) beta;
                if (beta == 0) {
                    zero(cOffset, rows, cols);
                    betaF = 1f;
                }
                cblas_sgemm(CblasRowMajor, ta, tb, rows, cols, k, 1f, floats(a, aOffset), lda, floats(b, bOffset), ldb,
                        betaF, floats(c, cOffset), n);
            } else {
                cblas_dgemm(CblasRowMajor, ta, tb, rows, cols, k, 1.0, doubles(a, aOffset), lda, doubles(b, bOffset),
                        ldb, beta, doubles(c, cOffset), n);
            }
        }

        /**
         * Zeros the stripe of float32 {@code c}, so that gemm can accumulate into it ({@code beta = 1}): OpenBLAS
         * clears the output itself for {@code beta = 0}, but with a scalar loop on the Zen target it picks on AMD
         * machines, which cost ~0.2 of the 2.5 ms of the MLP step's eight GEMMs; clearing with bulk copies costs
         * ~0.06-0.1 ms.
         */
        private void zero(long cOffset, int rows, int cols) {
            FloatBuffer out = Vec.floats(c);
            float[] zeros = ZEROS.get();
            for (int r = 0; r < rows; r++) {
                int at = Math.toIntExact(cOffset + (long) r * n);
                for (int done = 0; done < cols; done += zeros.length) {
                    out.put(at + done, zeros, 0, Math.min(zeros.length, cols - done));
                }
            }
        }

        /**
         * A one-row product (batch 1) as {@code gemv}: {@code c = op(b)^T x + beta c} with {@code x} the row of
         * {@code op(a)}. OpenBLAS's gemm packs all of {@code b} even for one row: (1, 784) x (784, 512) took ~250 us
         * that way, against ~30 us as gemv.
         */
        private void rowTimesMatrix(long aOffset, long bOffset, long cOffset, int lda, int ldb, int cols) {
            int incX = transA ? lda : 1;
            // op(b) is (k, cols): b as stored is (k, cols) without transB, (cols, k) with it.
            int order = transB ? CblasNoTrans : CblasTrans;
            int bRows = transB ? cols : k;
            int bCols = transB ? k : cols;
            if (c.dataType() == DataType.FLOAT) {
                cblas_sgemv(CblasRowMajor, order, bRows, bCols, 1f, floats(b, bOffset), ldb, floats(a, aOffset), incX,
                        (float) beta, floats(c, cOffset), 1);
            } else {
                cblas_dgemv(CblasRowMajor, order, bRows, bCols, 1.0, doubles(b, bOffset), ldb, doubles(a, aOffset),
                        incX, beta, doubles(c, cOffset), 1);
            }
        }
    }

    /** The array's element {@code offset}: the buffer's address pointer already includes the buffer's own offset. */
    /**
     * One block of a product on the calling thread: {@code C[m, n] = op(A) @ op(B) + beta C} where A, B and C are the
     * sub-matrices of the contiguous C-ordered matrices {@code a}, {@code b} and {@code c} starting at the given element
     * offsets, each with its matrix's row length as its leading dimension. Lets a recurrent layer's per-gate dropout
     * multiply against one gate block's columns of a kernel (or one block of a gradient's columns) without copying
     * them out. The caller checks {@link #direct}.
     */
    static void gemmBlock(INDArray a, long aOffset, INDArray b, long bOffset, INDArray c, long cOffset, int m, int n,
            int k, boolean transA, boolean transB, double beta) {
        int lda = (int) a.size(1);
        int ldb = (int) b.size(1);
        int ldc = (int) c.size(1);
        int ta = transA ? CblasTrans : CblasNoTrans;
        int tb = transB ? CblasTrans : CblasNoTrans;
        if (c.dataType() == DataType.FLOAT) {
            cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1f, floats(a, aOffset), lda, floats(b, bOffset), ldb,
                    (float) beta, floats(c, cOffset), ldc);
        } else {
            cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, doubles(a, aOffset), lda, doubles(b, bOffset), ldb, beta,
                    doubles(c, cOffset), ldc);
        }
    }

    static FloatPointer floats(INDArray a, long offset) {
        return new FloatPointer(a.data().addressPointer()).position(a.offset() - a.data().offset() + offset);
    }

    private static DoublePointer doubles(INDArray a, long offset) {
        return new DoublePointer(a.data().addressPointer()).position(a.offset() - a.data().offset() + offset);
    }
}
