package dev.kiln.samples;

import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.train.RunReport;
import dev.kiln.samples.Catalog.Sample;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The samples' command line:
 * {@code kiln <sample> [--epochs N] [--batch-size N] [--seed N] [--data DIR] [--quiet] [--report PATH]}.
 * Trains the sample with Keras's progress display (each epoch's line ends with its throughput), then prints the
 * metrics on held-out data.
 */
@Command(name = "kiln", mixinStandardHelpOptions = true, version = "Kiln samples 0.1.0-SNAPSHOT",
        description = "Trains one of Kiln's sample models and evaluates it on held-out data.",
        footerHeading = "%nSamples:%n", sortOptions = false)
public final class Main implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<sample>", description = "the sample to run (see below)")
    String sample;

    @Option(names = "--epochs", paramLabel = "N", description = "epochs to train, at least 1 (default: the sample's"
            + " own)")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "samples per step, at least 1 (default: the"
            + " sample's own)")
    Integer batchSize;

    @Option(names = "--seed", paramLabel = "N", description = "seeds data, weights and shuffling (default: 42)")
    long seed = Options.DEFAULT_SEED;

    @Option(names = "--data", paramLabel = "DIR", description = "fashion: a directory of MNIST-format IDX files"
            + " (default: /usr/share/datasets/fashion-mnist)")
    Path data;

    @Option(names = "--quiet", description = "no progress display, only the final metrics")
    boolean quiet;

    @Option(names = "--report", paramLabel = "PATH", description = "write the run as one HTML page (diagram, curves,"
            + " samples/s, test metrics), rewritten after every epoch")
    Path report;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, its help listing the samples. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.getCommandSpec().usageMessage().footer(Catalog.SAMPLES.stream()
                .map(s -> String.format(Locale.ROOT, "  %-9s %s", s.name(), s.description()))
                .collect(Collectors.joining("%n")) + "%n%nExample: kiln digits --epochs 20");
        return cl;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (sample == null) {
            spec.commandLine().usage(out);
            return 0;
        }
        Sample chosen = Catalog.find(sample).orElse(null);
        if (chosen == null) {
            err.println("kiln: no sample '" + sample + "'; the samples are "
                    + Catalog.SAMPLES.stream().map(Sample::name).collect(Collectors.toList()));
            return 2;
        }
        if (data != null && !List.of("fashion", "fashion-cnn").contains(chosen.name())) {
            err.println("kiln: " + chosen.name() + " reads no data directory; --data is for fashion");
            return 2;
        }
        String mistake = mistake();
        if (mistake != null) {
            err.println("kiln: " + mistake);
            return 2;
        }
        Options options;
        Result result;
        try {
            options = new Options(epochs == null ? 0 : epochs, batchSize == null ? 0 : batchSize, seed, data, quiet,
                    System.out, report);
            result = chosen.run(options);
            if (report != null) {
                RunReport.write(report, result.model(), result.history(), result.test());
            }
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException | ArithmeticException e) {
            err.println("kiln: " + chosen.name() + ": " + e.getMessage());
            return 1;
        }
        report(result, out);
        return 0;
    }

    /** What is wrong with the options as given, naming the option and its value; null when nothing is. */
    private String mistake() {
        if (epochs != null && epochs < 1) {
            return "--epochs " + epochs + ": a sample trains for at least 1 epoch; leave --epochs out for the sample's"
                    + " own number";
        }
        if (batchSize != null && batchSize < 1) {
            return "--batch-size " + batchSize + ": a batch holds at least 1 sample; leave --batch-size out for the"
                    + " sample's own size";
        }
        if (report != null && Files.isDirectory(report)) {
            return "--report " + report + ": a directory; give the page's file name, e.g. --report run.html";
        }
        if (data != null && !Files.isDirectory(data)) {
            return "--data " + data + ": " + (Files.exists(data) ? "not a directory" : "no such directory")
                    + "; give a directory of Fashion-MNIST's IDX files, or leave --data out to read "
                    + FashionMnist.directory() + " (apt-get install dataset-fashion-mnist puts them there)";
        }
        return null;
    }

    private static void report(Result result, PrintWriter out) {
        List<Double> seconds = result.history().epochSeconds();
        List<Double> throughput = result.history().samplesPerSecond();
        double total = seconds.stream().mapToDouble(Double::doubleValue).sum();
        double mean = throughput.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        out.printf(Locale.ROOT, "%s: trained %d epochs in %.1f s, %,.0f samples/s on average%n", result.sample(),
                seconds.size(), total, mean);
        out.println(result.sample() + ": test " + result.test().entrySet().stream()
                .map(e -> e.getKey() + ": " + value(e.getValue()))
                .collect(Collectors.joining(" - ")));
        out.flush();
    }

    /** As Keras prints a logged value: 4 decimals, or scientific notation at or below 1e-3 in magnitude. */
    static String value(double v) {
        return String.format(Locale.ROOT, v != 0 && Math.abs(v) <= 1e-3 ? "%.4e" : "%.4f", v);
    }
}
