package dev.kiln.processor.read;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Whether a method carries an annotation javac could not resolve ({@code @Dens} for {@code @Dense}). javac leaves such
 * an annotation out of the element's mirrors and reports "cannot find symbol" itself; only the source tree still has
 * it. Works under javac (the Trees API); elsewhere it sees nothing, and Kiln's own message stands.
 */
public final class SourceAnnotations {
    private final Trees trees;

    private SourceAnnotations(Trees trees) {
        this.trees = trees;
    }

    public static SourceAnnotations of(ProcessingEnvironment env) {
        try {
            return new SourceAnnotations(Trees.instance(env));
        } catch (RuntimeException | LinkageError e) {
            return new SourceAnnotations(null); // not javac
        }
    }

    /** True when an annotation written on {@code method} names a type javac could not resolve. */
    boolean hasUnresolved(ExecutableElement method) {
        if (trees == null) {
            return false;
        }
        try {
            TreePath path = trees.getPath(method);
            if (path == null || !(path.getLeaf() instanceof MethodTree m)) {
                return false;
            }
            TreePath modifiers = new TreePath(path, m.getModifiers());
            for (AnnotationTree a : m.getModifiers().getAnnotations()) {
                TypeMirror t = trees.getTypeMirror(new TreePath(new TreePath(modifiers, a), a.getAnnotationType()));
                if (t == null || t.getKind() == TypeKind.ERROR) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return false; // a javac without attributed trees: Kiln's own message stands
        }
    }
}
