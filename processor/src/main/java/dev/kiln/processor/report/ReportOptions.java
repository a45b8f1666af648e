package dev.kiln.processor.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The processor options ({@code -Akiln.<name>=true|false}) that switch the compile-time report's parts on or off:
 * <ul>
 *   <li>{@code kiln.report} (default true): write the report at all, {@code META-INF/kiln/<model>.txt};
 *   <li>{@code kiln.json} (default true): its machine-readable twin, {@code META-INF/kiln/<model>.json};
 *   <li>{@code kiln.dot} (default true): the graph in Graphviz DOT, in both and as {@code META-INF/kiln/<model>.dot};
 *   <li>{@code kiln.svg} (default true): the model diagram, {@code META-INF/kiln/<model>.svg}.
 * </ul>
 */
public record ReportOptions(boolean report, boolean json, boolean dot, boolean svg) {
    public static final String REPORT = "kiln.report";
    public static final String JSON = "kiln.json";
    public static final String DOT = "kiln.dot";
    public static final String SVG = "kiln.svg";

    /** Every option the processor understands, for {@code getSupportedOptions}. */
    public static final Set<String> NAMES = Set.of(REPORT, JSON, DOT, SVG);

    /** The options as given; each value that is not a boolean adds a problem to {@code problems} and keeps its default. */
    public static ReportOptions parse(Map<String, String> options, List<String> problems) {
        return new ReportOptions(flag(options, REPORT, problems), flag(options, JSON, problems),
                flag(options, DOT, problems), flag(options, SVG, problems));
    }

    public static ReportOptions defaults() {
        return parse(Map.of(), new ArrayList<>());
    }

    private static boolean flag(Map<String, String> options, String name, List<String> problems) {
        String v = options.get(name);
        if (v == null || v.isEmpty() || v.equalsIgnoreCase("true")) {
            return true; // -Akiln.report alone means true
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        problems.add("-A" + name + "=" + v + " is not understood: use -A" + name + "=true or -A" + name + "=false."
                + " Kiln uses true.");
        return true;
    }
}
