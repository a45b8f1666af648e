package dev.kiln.processor.layer;

import java.util.List;

/**
 * One planned statement: a static call into a runtime kernel class, when it runs (always, only in training, only at
 * inference), and a short comment that says what it computes.
 */
public record Call(Kernel target, String method, List<Arg> args, When when, String comment) {
    /** A runtime class that holds kernels, e.g. {@code dev.kiln.runtime.kernel.Kernels}; each layer names its own. */
    public record Kernel(String packageName, String simpleName) {
        /** A class of the runtime's kernel package. */
        public static Kernel of(String simpleName) {
            return new Kernel("dev.kiln.runtime.kernel", simpleName);
        }

        public String qualifiedName() {
            return packageName + "." + simpleName;
        }
    }

    /** The runtime's general kernels (gemm, copy, bias, dropout). */
    public static final Kernel KERNELS = Kernel.of("Kernels");
    /** The activation functions' kernels. */
    public static final Kernel ACTIVATIONS = Kernel.of("Activations");

    /** When a call runs in the forward pass. */
    public enum When {
        ALWAYS,
        TRAINING,
        INFERENCE
    }

    public Call {
        args = List.copyOf(args);
    }
}
