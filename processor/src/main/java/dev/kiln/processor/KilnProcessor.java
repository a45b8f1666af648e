package dev.kiln.processor;

import com.google.auto.service.AutoService;
import dev.kiln.processor.check.Check;
import dev.kiln.processor.emit.ModelEmitter;
import dev.kiln.processor.graph.GraphBuilder;
import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.plan.Plan;
import dev.kiln.processor.plan.Planner;
import dev.kiln.processor.read.ModelReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Kiln's annotation processor: for each {@code @Model} interface, read → graph → check → plan → emit. All problems of
 * a model are reported together as javac diagnostics on the elements that caused them; a model with errors generates
 * nothing; an unexpected exception becomes one error naming the model, never a crash of javac.
 */
@AutoService(Processor.class)
public final class KilnProcessor extends AbstractProcessor {
    static final String MODEL = "dev.kiln.dsl.Model";

    /** Generated class name to the model that claimed it, across rounds. */
    private final Map<String, String> generated = new HashMap<>();

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(MODEL);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        TypeElement model = processingEnv.getElementUtils().getTypeElement(MODEL);
        if (model == null) {
            return false;
        }
        for (Element e : round.getElementsAnnotatedWith(model)) {
            if (e instanceof TypeElement type) {
                compile(type);
            }
        }
        return false;
    }

    private void compile(TypeElement type) {
        Report report = new Report();
        ModelReader.Result read = null;
        try {
            read = new ModelReader(processingEnv.getElementUtils()).read(type, report);
            String claimed = generated.putIfAbsent(read.decl().generatedQualifiedName(), read.decl().qualifiedName());
            if (claimed != null && !claimed.equals(read.decl().qualifiedName())) {
                report.add(Rule.NAME_CLASH, Site.model(), "model '" + read.decl().qualifiedName() + "' would generate "
                        + read.decl().generatedQualifiedName() + ", which model '" + claimed + "' already generates."
                        + " Rename one, or choose the class name with @Model(name = \"...\").");
            }
            ModelGraph graph = GraphBuilder.build(read.decl(), report);
            for (Check check : Check.all()) {
                check.run(graph, report);
            }
            if (!report.hasErrors()) {
                Plan plan = Planner.plan(graph);
                ModelEmitter.emit(plan).writeTo(processingEnv.getFiler());
            }
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "[" + Rule.INTERNAL_ERROR.id()
                    + "] could not write the generated model for '" + type.getQualifiedName() + "': " + e.getMessage(),
                    type);
        } catch (RuntimeException | AssertionError e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "[" + Rule.INTERNAL_ERROR.id()
                    + "] Kiln failed on model '" + type.getQualifiedName() + "'. This is a bug in Kiln, not in your"
                    + " model; please report it with this trace:\n" + trace, type);
        }
        if (read != null) {
            Diagnostics.print(report, read.sites(), processingEnv.getMessager());
        }
    }
}
