package dev.kiln.cli;

import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Kiln's tools on the command line: {@code kiln convert model.keras --package com.acme.models --out src/main/java}.
 * {@link #run} is the entry point without {@code System.exit}, for tests and other Java code.
 */
@Command(name = "kiln", mixinStandardHelpOptions = true, version = "Kiln 0.1.0-SNAPSHOT",
        description = "Kiln's tools. The samples run as `kiln <sample>` (see `kiln --help` there).",
        subcommands = Kiln.Convert.class)
public final class Kiln implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Runs {@code args} and returns the exit status: 0 done, 1 the file could not be converted, 2 bad usage. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Kiln());
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + e.getMessage() + " (see "
                    + c.getCommandSpec().qualifiedName() + " --help)");
            c.getErr().flush();
            return 2;
        });
        return cl;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** {@code kiln convert}. */
    @Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Converts a Keras model (a .keras archive or a legacy .h5 model) into an annotated @Model"
                    + " interface and a Kiln checkpoint of its weights, which the generated model's load(Path)"
                    + " reads.", "",
                    "Kiln runs nothing from the file: Lambda layers, custom objects and layers Kiln lacks are refused,"
                    + " naming the layer and its class. The interface is compiled with Kiln's processor before"
                    + " anything is written."},
            footer = {"", "Example:", "  kiln convert model.keras --package com.acme.models --out src/main/java",
                    "  writes src/main/java/com/acme/models/<Model>.java and <Model>.kiln beside it;",
                    "  then: <Model>Model model = <Model>Model.load(Path.of(\".../<Model>.kiln\"));"})
    static final class Convert implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<model>", description = "the Keras file (.keras or legacy .h5); its"
                + " format is told from its first bytes")
        Path model;

        @Option(names = "--package", required = true, paramLabel = "<name>", description = "the Java package of the"
                + " interface, e.g. com.acme.models")
        String pkg;

        @Option(names = "--out", required = true, paramLabel = "<dir>", description = "the source root to write into,"
                + " e.g. src/main/java")
        Path out;

        @Option(names = "--weights", paramLabel = "<file>", description = "where to write the checkpoint (default:"
                + " <Model>.kiln beside the interface)")
        Path weights;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!javax.lang.model.SourceVersion.isName(pkg)) {
                return fail(err, "--package '" + pkg + "' is not a Java package name (e.g. com.acme.models)", 2);
            }
            try {
                KerasConvert.Result r = KerasConvert.convert(model, pkg, this.out, weights);
                out.printf(Locale.ROOT, "kiln convert: wrote %s (%s, %d nodes, %,d parameters)%n", r.source(),
                        r.modelClass(), r.layers(), r.params());
                out.printf(Locale.ROOT, "kiln convert: wrote %s (load it with %s.load)%n", r.weights(),
                        r.modelClass().substring(r.modelClass().lastIndexOf('.') + 1));
                out.flush();
                return 0;
            } catch (NoSuchFileException e) {
                return fail(err, model + ": no such file");
            } catch (Exception e) {
                String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                return fail(err, m);
            }
        }

        private static int fail(PrintWriter err, String message) {
            return fail(err, message, 1);
        }

        private static int fail(PrintWriter err, String message, int status) {
            err.println("kiln convert: " + message.replaceAll("\\s*\\R\\s*", "; "));
            err.flush();
            return status;
        }
    }
}
