package dev.kiln.runtime.kernel;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A direct call of OpenBLAS's {@code gemm} (the library ND4J itself loads), for the one product where ND4J's own path
 * loses time: {@code A @ B^T}, the input gradient {@code dY @ W^T} of every Dense layer. Through {@code Nd4j.gemm} (which
 * in the oneDNN builds goes to oneDNN's matmul) it took 660-870 us for (128, 512) x (512, 512)^T, directly 470-530 us;
 * the other transpose cases were as fast or faster through ND4J, so they stay there.
 */
final class Blas {
    private Blas() {
    }

    /** Whether {@code c = alpha a @ op(b) + beta c} can go straight to BLAS: contiguous, C-ordered, one dtype. */
    static boolean direct(INDArray a, INDArray b, INDArray c) {
        DataType t = c.dataType();
        return (t == DataType.FLOAT || t == DataType.DOUBLE) && a.dataType() == t && b.dataType() == t
                && a.rank() == 2 && b.rank() == 2 && c.rank() == 2
                && Vec.isContiguous(a) && Vec.isContiguous(b) && Vec.isContiguous(c);
    }

    /** {@code c = a @ b^T + beta c}, row-major; {@code a} is (m, k), {@code b} is (n, k), {@code c} is (m, n). */
    static void gemmNT(INDArray a, INDArray b, INDArray c, double beta) {
        int m = (int) a.size(0);
        int k = (int) a.size(1);
        int n = (int) b.size(0);
        if (c.dataType() == DataType.FLOAT) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1f, floats(a), k, floats(b), k, (float) beta,
                    floats(c), n);
        } else {
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0, doubles(a), k, doubles(b), k, beta,
                    doubles(c), n);
        }
    }

    /** The array's first element: the buffer's address pointer already includes the buffer's own offset. */
    private static FloatPointer floats(INDArray a) {
        return new FloatPointer(a.data().addressPointer()).position(a.offset() - a.data().offset());
    }

    private static DoublePointer doubles(INDArray a) {
        return new DoublePointer(a.data().addressPointer()).position(a.offset() - a.data().offset());
    }
}
