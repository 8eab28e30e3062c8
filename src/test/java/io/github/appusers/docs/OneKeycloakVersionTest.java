package io.github.appusers.docs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The Keycloak version is pom.xml's property {@code keycloak.version}, and only there: the scripts
 * read it from the POM, so changing the property moves everything.
 */
class OneKeycloakVersionTest {

    private static final List<String> SCRIPTS = List.of("run.sh", "bench/run.sh", "bench/heap.sh", ".ci/run");

    @Test
    void theScriptsReadTheVersionFromThePomAndNameNoneOfTheirOwn() throws IOException {
        Path root = MarkdownPages.projectDir();
        Matcher property = Pattern.compile("<keycloak\\.version>([^<]+)</keycloak\\.version>")
                .matcher(Files.readString(root.resolve("pom.xml")));
        assertTrue(property.find(), "pom.xml has the property keycloak.version");
        String version = property.group(1);
        assertFalse(property.find(), "pom.xml defines keycloak.version once");

        List<String> own = new ArrayList<>();
        for (String script : SCRIPTS) {
            String text = Files.readString(root.resolve(script));
            if (text.contains(version) || Pattern.compile("\\b([2-9]\\d)\\.\\d+\\.\\d+\\b").matcher(text).find()) {
                own.add(script);
            }
        }
        assertTrue(own.isEmpty(), "scripts that name a Keycloak version instead of reading pom.xml: " + own);
        for (String script : List.of("run.sh", "bench/run.sh", "bench/heap.sh")) {
            assertTrue(Files.readString(root.resolve(script)).contains("<keycloak\\.version>"),
                    script + " reads keycloak.version from pom.xml");
        }
    }
}
