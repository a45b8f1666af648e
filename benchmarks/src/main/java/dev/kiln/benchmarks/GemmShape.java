package dev.kiln.benchmarks;

/**
 * One GEMM, {@code C(m, n) = op(A) @ op(B)} with a shared dimension {@code k}, as {@code Nd4j.gemm} takes it: A is
 * stored {@code (k, m)} when {@code transA}, else {@code (m, k)}; B is stored {@code (n, k)} when {@code transB}, else
 * {@code (k, n)}; a step runs it {@code times} times (e.g. once per time step of a recurrent layer).
 */
public record GemmShape(String role, int m, int n, int k, boolean transA, boolean transB, int times) {
    /** A GEMM a step runs once. */
    public GemmShape(String role, int m, int n, int k, boolean transA, boolean transB) {
        this(role, m, n, k, transA, transB, 1);
    }

    /** Floating-point operations of one call: a multiply and an add per term. */
    public double flops() {
        return 2.0 * m * n * k;
    }

    /** Floating-point operations of a step: {@link #flops} times {@link #times}. */
    public double stepFlops() {
        return flops() * times;
    }

    /** {@code (128,784)x(784,512)}, transposes shown as ^T. */
    public String label() {
        String a = transA ? "(" + k + "," + m + ")^T" : "(" + m + "," + k + ")";
        String b = transB ? "(" + n + "," + k + ")^T" : "(" + k + "," + n + ")";
        return a + "x" + b + (times == 1 ? "" : " x" + times);
    }
}
