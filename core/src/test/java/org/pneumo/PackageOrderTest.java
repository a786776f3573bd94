package org.pneumo;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.Test;

/**
 * Holds the order of core's packages: each may use only those below it, never one above or beside it.
 *
 * <pre>
 *   io  &lt;-  data  &lt;-  {model, eval}  &lt;-  {train, infer}  &lt;-  report  (&lt;- the app's cli and server)
 * </pre>
 *
 * {@code eval} is pure (figures from labels and scores): it knows nothing of networks, training or inference.
 */
class PackageOrderTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.pneumo");

    @Test
    void packagesUseOnlyTheLayersBelowThem() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("io").definedBy("org.pneumo.io..")
                .layer("data").definedBy("org.pneumo.data..")
                .layer("model").definedBy("org.pneumo.model..")
                .layer("eval").definedBy("org.pneumo.eval..")
                .layer("train").definedBy("org.pneumo.train..")
                .layer("infer").definedBy("org.pneumo.infer..")
                .layer("report").definedBy("org.pneumo.report..")
                .whereLayer("report").mayNotBeAccessedByAnyLayer()
                .whereLayer("train").mayOnlyBeAccessedByLayers("report")
                .whereLayer("infer").mayOnlyBeAccessedByLayers("report")
                .whereLayer("model").mayOnlyBeAccessedByLayers("train", "infer", "report")
                .whereLayer("eval").mayOnlyBeAccessedByLayers("train", "infer", "report")
                .whereLayer("data").mayOnlyBeAccessedByLayers("model", "eval", "train", "infer", "report")
                .whereLayer("io").mayOnlyBeAccessedByLayers("data", "model", "eval", "train", "infer", "report")
                .check(CORE);
    }

    @Test
    void noPackageCycles() {
        SlicesRuleDefinition.slices().matching("org.pneumo.(*)..").should().beFreeOfCycles().check(CORE);
    }
}
