package org.pancat;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package map of CONTRIBUTING, checked on the compiled code: no cycle between feature packages,
 * and each uses only the packages below it.
 */
class ArchitectureTest {
  private static final JavaClasses CODE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.pancat");

  @Test
  void noCycleBetweenPackages() {
    slices().matching("org.pancat.(*)..").should().beFreeOfCycles().check(CODE);
  }

  @Test
  void eachPackageUsesOnlyThoseBelowIt() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("base")
        .definedBy("org.pancat.problem..", "org.pancat.kernel..", "org.pancat.changelog..")
        .layer("access")
        .definedBy("org.pancat.access..")
        .layer("terms and trust")
        .definedBy("org.pancat.vocab..", "org.pancat.trust..")
        .layer("catalogue")
        .definedBy("org.pancat.catalogue..")
        .layer("services")
        .definedBy(
            "org.pancat.federation..",
            "org.pancat.search..",
            "org.pancat.resolve..",
            "org.pancat.harvest..")
        .layer("pages")
        .definedBy("org.pancat.web..")
        .whereLayer("pages")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("services")
        .mayOnlyBeAccessedByLayers("pages")
        .whereLayer("catalogue")
        .mayOnlyBeAccessedByLayers("services", "pages")
        .whereLayer("terms and trust")
        .mayOnlyBeAccessedByLayers("catalogue", "services", "pages")
        .whereLayer("access")
        .mayOnlyBeAccessedByLayers("terms and trust", "catalogue", "services", "pages")
        .check(CODE);
  }
}
