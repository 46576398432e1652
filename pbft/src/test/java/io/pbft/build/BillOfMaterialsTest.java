package io.pbft.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * bom/pom.xml has no parent (an imported BOM would bring pbft-parent's third-party versions
 * along), so nothing but this test keeps its version and its list in step with the build's.
 */
class BillOfMaterialsTest {

    /** The tests run in pbft/; the repository root holds the parent and the BOM. */
    private static final Path ROOT = Path.of("..");
    private static final String BOM_MODULE = "bom";

    @Test
    void theBomManagesEveryModuleOfTheBuildAtTheParentsVersion() throws Exception {
        Document parent = read(ROOT.resolve("pom.xml"));
        Document bom = read(ROOT.resolve(BOM_MODULE).resolve("pom.xml"));
        List<String> modules = texts(child(parent.getDocumentElement(), "modules"), "module");
        assertThat(modules).contains(BOM_MODULE);

        TreeSet<String> artifacts = new TreeSet<>();
        for (String module : modules) {
            Element pom = read(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
            if (!module.equals(BOM_MODULE) && !unpublished(pom)) {
                artifacts.add(text(pom, "artifactId"));
            }
        }
        Element managed = child(child(bom.getDocumentElement(), "dependencyManagement"), "dependencies");
        TreeSet<String> listed = new TreeSet<>();
        for (Element dependency : children(managed, "dependency")) {
            assertThat(text(dependency, "groupId")).isEqualTo("io.pbft");
            assertThat(text(dependency, "version")).as(text(dependency, "artifactId"))
                    .isEqualTo("${project.version}");
            listed.add(text(dependency, "artifactId"));
        }

        assertThat(text(bom.getDocumentElement(), "version")).as("bom/pom.xml's version")
                .isEqualTo(text(parent.getDocumentElement(), "version"));
        assertThat(child(bom.getDocumentElement(), "parent")).as("bom/pom.xml's parent").isNull();
        assertThat(listed).as("the artifacts bom/pom.xml manages").isEqualTo(artifacts);
    }

    /** A module that sets maven.deploy.skip (the examples) is not for users to depend on. */
    private static boolean unpublished(Element pom) {
        Element properties = child(pom, "properties");
        return properties != null && !children(properties, "maven.deploy.skip").isEmpty()
                && text(properties, "maven.deploy.skip").equals("true");
    }

    private static Document read(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE && nodes.item(i).getNodeName().equals(name)) {
                found.add((Element) nodes.item(i));
            }
        }
        return found;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent().strip();
    }

    private static List<String> texts(Element parent, String name) {
        return children(parent, name).stream().map(element -> element.getTextContent().strip()).toList();
    }
}
