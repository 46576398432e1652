package io.pbft.metrics;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is an optional dependency of pbft-core: an application without it on the class path
 * must be able to start a replica. So only the binding package may refer to it, and the rest
 * reaches the binding only from the replica command, behind {@code --metrics-port}.
 */
class MicrometerIsOptionalTest {

    private static final JavaClasses LIBRARY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pbft");

    @Test
    void onlyTheBindingPackageRefersToMicrometer() {
        assertThat(LIBRARY.size()).isGreaterThan(100);

        noClasses().that().resideOutsideOfPackage("io.pbft.metrics.micrometer..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.prometheus..")
                .because("Micrometer is optional: a replica must start without it on the class path")
                .check(LIBRARY);
        noClasses().that().resideOutsideOfPackage("io.pbft.metrics.micrometer..")
                .and().doNotHaveFullyQualifiedName("io.pbft.node.ReplicaCommand")
                .should().dependOnClassesThat().resideInAPackage("io.pbft.metrics.micrometer..")
                .because("the binding is loaded only when asked for, by the replica command's --metrics-port")
                .check(LIBRARY);
    }
}
