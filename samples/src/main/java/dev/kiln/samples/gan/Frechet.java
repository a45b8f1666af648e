package dev.kiln.samples.gan;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Fréchet distance between two sets of vectors, each summed up by its mean and covariance: {@code |m1 - m2|^2 +
 * tr(C1 + C2 - 2 (C1^1/2 C2 C1^1/2)^1/2)}, the formula of FID, here on raw pixels. Square roots of the symmetric
 * matrices come from their eigenvalues, found by cyclic Jacobi rotations in double precision (64x64 here).
 */
final class Frechet {
    private Frechet() {
    }

    static double distance(INDArray a, INDArray b) {
        double[][] x = rows(a);
        double[][] y = rows(b);
        double[] ma = mean(x);
        double[] mb = mean(y);
        double[][] ca = covariance(x, ma);
        double[][] cb = covariance(y, mb);
        double d = 0;
        for (int i = 0; i < ma.length; i++) {
            d += (ma[i] - mb[i]) * (ma[i] - mb[i]) + ca[i][i] + cb[i][i];
        }
        double[][] root = sqrt(ca);
        double[] eigen = eigen(multiply(multiply(root, cb), root), null);
        for (double e : eigen) {
            d -= 2 * Math.sqrt(Math.max(e, 0));
        }
        return d;
    }

    private static double[][] rows(INDArray a) {
        double[][] out = new double[(int) a.size(0)][];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.getRow(i).toDoubleVector();
        }
        return out;
    }

    private static double[] mean(double[][] x) {
        double[] m = new double[x[0].length];
        for (double[] row : x) {
            for (int j = 0; j < m.length; j++) {
                m[j] += row[j] / x.length;
            }
        }
        return m;
    }

    private static double[][] covariance(double[][] x, double[] m) {
        int n = m.length;
        double[][] c = new double[n][n];
        for (double[] row : x) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    c[i][j] += (row[i] - m[i]) * (row[j] - m[j]) / (x.length - 1);
                }
            }
        }
        return c;
    }

    /** The symmetric square root of a symmetric positive semi-definite matrix. */
    private static double[][] sqrt(double[][] a) {
        int n = a.length;
        double[][] v = new double[n][n];
        double[] e = eigen(a, v);
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += v[i][k] * Math.sqrt(Math.max(e[k], 0)) * v[j][k];
                }
                out[i][j] = s;
            }
        }
        return out;
    }

    /** Eigenvalues of symmetric {@code a} (not changed); eigenvectors into the columns of {@code vectors} if given. */
    static double[] eigen(double[][] a, double[][] vectors) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = a[i].clone();
        }
        double[][] v = vectors != null ? vectors : new double[n][n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(v[i], 0);
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += m[p][q] * m[p][q];
                }
            }
            if (off < 1e-22) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (Math.abs(m[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double mkp = m[k][p];
                        double mkq = m[k][q];
                        m[k][p] = c * mkp - s * mkq;
                        m[k][q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++) {
                        double mpk = m[p][k];
                        double mqk = m[q][k];
                        m[p][k] = c * mpk - s * mqk;
                        m[q][k] = s * mpk + c * mqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = m[i][i];
        }
        return e;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double aik = a[i][k];
                for (int j = 0; j < n; j++) {
                    out[i][j] += aik * b[k][j];
                }
            }
        }
        return out;
    }
}
