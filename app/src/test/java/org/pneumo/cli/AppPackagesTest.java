package org.pneumo.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Holds the app's two packages apart: the command line starts the server, the server never reaches into the command
 * line, and neither reaches past core's public types into how a network is trained (the server only predicts).
 */
class AppPackagesTest {
    private static final JavaClasses APP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.pneumo.cli", "org.pneumo.server");

    @Test
    void theServerDoesNotUseTheCommandLine() {
        noClasses().that().resideInAPackage("org.pneumo.server..").should().dependOnClassesThat()
                .resideInAPackage("org.pneumo.cli..").check(APP);
    }

    @Test
    void theServerDoesNotTrain() {
        noClasses().that().resideInAPackage("org.pneumo.server..").should().dependOnClassesThat()
                .resideInAPackage("org.pneumo.train..").check(APP);
    }
}
