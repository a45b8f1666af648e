package dev.kiln.processor;

import com.google.auto.service.AutoService;
import dev.kiln.processor.check.Check;
import dev.kiln.processor.check.NameClaims;
import dev.kiln.processor.emit.ModelEmitter;
import dev.kiln.processor.graph.GraphBuilder;
import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.plan.Plan;
import dev.kiln.processor.plan.Planner;
import dev.kiln.processor.read.ModelReader;
import dev.kiln.processor.read.SourceAnnotations;
import dev.kiln.processor.report.ReportOptions;
import dev.kiln.processor.report.ReportWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Kiln's annotation processor: for each {@code @Model} interface, read → graph → check → plan → emit, then the
 * compile-time report. All problems of a model are reported together as javac diagnostics on the elements that caused
 * them; a model with errors generates nothing; an unexpected exception becomes one error naming the model, never a
 * crash of javac. Options: see {@link ReportOptions}.
 */
@AutoService(Processor.class)
public final class KilnProcessor extends AbstractProcessor {
    static final String MODEL = "dev.kiln.dsl.Model";
    private static final String GENERATED = "javax.annotation.processing.Generated";

    /** Generated class names, across rounds. */
    private final NameClaims names = new NameClaims();
    private ReportOptions options = ReportOptions.defaults();
    private SourceAnnotations sources;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(MODEL);
    }

    @Override
    public Set<String> getSupportedOptions() {
        return ReportOptions.NAMES;
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        List<String> problems = new ArrayList<>();
        options = ReportOptions.parse(env.getOptions(), problems);
        sources = SourceAnnotations.of(env);
        for (String p : problems) {
            env.getMessager().printMessage(Rule.OPTION.kind(), "[" + Rule.OPTION.id() + "] " + p);
        }
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (Element e : round.getRootElements()) {
            if (e instanceof TypeElement type && !generatedByKiln(type)) {
                names.sourceType(type.getQualifiedName().toString());
            }
        }
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
        ModelGraph graph = null;
        try {
            read = new ModelReader(processingEnv.getElementUtils(), sources).read(type, report);
            names.claim(read.decl(), report);
            if (read.isModel()) {
                graph = GraphBuilder.build(read.decl(), report);
                for (Check check : Check.all()) {
                    check.run(graph, report);
                }
            }
            if (read.isModel() && !report.hasErrors()) {
                Plan plan = Planner.plan(graph);
                ModelEmitter.emit(plan).writeTo(processingEnv.getFiler());
                ReportWriter.write(plan, options, processingEnv.getFiler(), type);
            }
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "[" + Rule.INTERNAL_ERROR.id()
                    + "] could not write the generated model or its report for '" + type.getQualifiedName() + "': " + e.getMessage(),
                    type);
        } catch (RuntimeException | AssertionError e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                    Diagnostics.internalError(type.getQualifiedName().toString(), e), type);
        }
        if (read != null) {
            try {
                Diagnostics.print(report, read.sites(), graph, processingEnv.getMessager());
            } catch (RuntimeException | AssertionError e) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                        Diagnostics.internalError(type.getQualifiedName().toString(), e), type);
            }
        }
    }

    /** A class Kiln wrote in an earlier build, seen again as a source: not the user's, so no clash. */
    private static boolean generatedByKiln(TypeElement type) {
        for (AnnotationMirror m : type.getAnnotationMirrors()) {
            if (m.getAnnotationType().toString().equals(GENERATED)
                    && m.getElementValues().values().toString().contains(KilnProcessor.class.getName())) {
                return true;
            }
        }
        return false;
    }
}
