package dev.kiln.processor.plan;

import java.util.List;

/**
 * One planned statement: a static call into a runtime kernel class, when it runs (always, only in training, only at
 * inference), and a short comment that says what it computes.
 */
public record Call(Kernel target, String method, List<Arg> args, When when, String comment) {
    /** The runtime classes kernels live in. */
    public enum Kernel {
        KERNELS("dev.kiln.runtime.kernel", "Kernels"),
        ACTIVATIONS("dev.kiln.runtime.kernel", "Activations"),
        MERGES("dev.kiln.runtime.kernel", "Merges"),
        RESHAPES("dev.kiln.runtime.kernel", "Reshapes"),
        DOTS("dev.kiln.runtime.kernel", "Dots");

        public final String packageName;
        public final String simpleName;

        Kernel(String packageName, String simpleName) {
            this.packageName = packageName;
            this.simpleName = simpleName;
        }
    }

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
