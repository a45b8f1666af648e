package dev.kiln.benchmarks;

/**
 * One GEMM, {@code C(m, n) = op(A) @ op(B)} with a shared dimension {@code k}, as {@code Nd4j.gemm} takes it: A is
 * stored {@code (k, m)} when {@code transA}, else {@code (m, k)}; B is stored {@code (n, k)} when {@code transB}, else
 * {@code (k, n)}.
 */
public record GemmShape(String role, int m, int n, int k, boolean transA, boolean transB) {
    /** Floating-point operations: a multiply and an add per term. */
    public double flops() {
        return 2.0 * m * n * k;
    }

    /** {@code (128,784)x(784,512)}, transposes shown as ^T. */
    public String label() {
        String a = transA ? "(" + k + "," + m + ")^T" : "(" + m + "," + k + ")";
        String b = transB ? "(" + n + "," + k + ")^T" : "(" + k + "," + n + ")";
        return a + "x" + b;
    }
}
