package dev.kiln.processor.layers;

/** Small models around one pooling layer, shared by the pooling layers' tests. */
final class PoolingModels {
    private PoolingModels() {
    }

    /** A {@code size x size x 1} image straight into {@code pooling}, the output. */
    static String image(String pkg, String name, int size, String pooling) {
        return "package " + pkg + ";\nimport dev.kiln.dsl.*;\n@Model interface " + name + " {\n"
                + "    @Input(shape = {" + size + ", " + size + ", 1}) Tensor x();\n"
                + "    " + pooling + " @Flatten Tensor p(Tensor x);\n".replace("@Flatten ", "")
                + "    @Flatten @Output Tensor y(Tensor p);\n}\n";
    }

    /**
     * A 2D pooling layer four ways, after a Dense (so its input's gradient is checked): valid and same, overlapping and
     * strided windows, odd and even sizes; two of them read the same input, so their gradients add.
     */
    static String mixed(String pkg, String annotation) {
        return "package " + pkg + ";\nimport dev.kiln.dsl.*;\n@Model interface Mixed {\n"
                + "    @Input(shape = {7, 6, 2}) Tensor x();\n"
                + "    @Dense(units = 3, activation = Activation.TANH) Tensor h(Tensor x);\n"
                + "    @" + annotation + "(poolSize = 3, strides = 2, padding = Padding.SAME) Tensor a(Tensor h);\n"
                + "    @" + annotation + "(poolSize = {2, 3}, strides = 1) Tensor b(Tensor h);\n"
                + "    @" + annotation + "(padding = Padding.SAME) Tensor c(Tensor b);\n"
                + "    @" + annotation + "(poolSize = {3, 2}, strides = {1, 2}, padding = Padding.SAME)"
                + " Tensor d(Tensor a);\n"
                + "    @Flatten Tensor fc(Tensor c);\n"
                + "    @Flatten Tensor fd(Tensor d);\n"
                + "    @Concatenate Tensor cat(Tensor fc, Tensor fd);\n"
                + "    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor cat);\n}\n";
    }
}
