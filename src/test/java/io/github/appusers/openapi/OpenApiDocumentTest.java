package io.github.appusers.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.rest.AppUsersAdminResource;
import io.github.appusers.rest.AppUsersRealmResource;
import org.junit.jupiter.api.Test;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;

/**
 * {@code openapi/app-users.yaml} against the code, without a server: the same operations as the
 * JAX-RS resources serve (so an endpoint added without documenting it fails the build), the same
 * grant types as the grant factories register, and a document whose references all resolve and
 * whose examples match their own schemas.
 */
class OpenApiDocumentTest {

    static final String REALM_ROOT = "/realms/{realm}/app-users";
    static final String ADMIN_ROOT = "/admin/realms/{realm}/app-users";
    static final String TOKEN_PATH = "/realms/{realm}/protocol/openid-connect/token";

    private final OpenApiDocument document = OpenApiDocument.load();

    static JaxRsOperations served() {
        return new JaxRsOperations().walk(AppUsersRealmResource.class, REALM_ROOT)
                .walk(AppUsersAdminResource.class, ADMIN_ROOT);
    }

    @Test
    void theDocumentDescribesExactlyTheOperationsTheResourcesServe() {
        Set<String> served = new TreeSet<>(served().operations());
        Set<String> documented = document.operations().stream()
                .filter(op -> op.path().startsWith(REALM_ROOT + "/") || op.path().startsWith(ADMIN_ROOT + "/"))
                .map(OpenApiDocument.Operation::key)
                .collect(Collectors.toCollection(TreeSet::new));

        Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(documented);
        Set<String> notServed = new TreeSet<>(documented);
        notServed.removeAll(served);
        assertTrue(undocumented.isEmpty(), "served but not in openapi/app-users.yaml: " + undocumented);
        assertTrue(notServed.isEmpty(), "in openapi/app-users.yaml but not served: " + notServed);
        assertTrue(served.size() > 40, "the walk found the resources: " + served.size());
    }

    @Test
    void everyJaxRsClassOfTheExtensionIsReachedFromTheTwoRoots() throws Exception {
        Set<Class<?>> reached = served().classes();
        List<String> orphans = new ArrayList<>();
        for (Class<?> type : extensionClasses()) {
            if (JaxRsOperations.isResource(type) && !reached.contains(type)) {
                orphans.add(type.getName());
            }
        }
        assertTrue(orphans.isEmpty(), "JAX-RS classes no root mounts (so the walk cannot check them): " + orphans);
    }

    @Test
    void theDocumentedGrantTypesAreTheOnesTheExtensionRegisters() throws Exception {
        Set<String> registered = new TreeSet<>();
        try (InputStream services = getClass().getResourceAsStream(
                "/META-INF/services/" + OAuth2GrantTypeFactory.class.getName())) {
            for (String line : new String(services.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    OAuth2GrantTypeFactory factory = (OAuth2GrantTypeFactory) Class.forName(line.trim())
                            .getDeclaredConstructor().newInstance();
                    registered.add(factory.getId());
                }
            }
        }
        // Keycloak's own grants (its "password" grant above all) stay Keycloak's: we register only ours.
        assertTrue(registered.stream().allMatch(id -> id.startsWith("urn:app-users:grant-type:")), registered.toString());

        Set<String> documented = new TreeSet<>();
        document.pointer("#/components/schemas/TokenRequest/properties/grant_type/enum")
                .forEach(value -> documented.add(value.asText()));
        assertEquals(registered, documented);

        Set<String> exampleGrants = new TreeSet<>();
        document.root().at("/paths/" + TOKEN_PATH.replace("/", "~1")
                        + "/post/requestBody/content/application~1x-www-form-urlencoded/examples")
                .forEach(example -> exampleGrants.add(example.at("/value/grant_type").asText()));
        assertEquals(registered, exampleGrants, "one example per grant type");
    }

    @Test
    void everyReferenceResolves() {
        List<String> broken = document.references().stream()
                .filter(ref -> document.pointer(ref).isMissingNode())
                .distinct().toList();
        assertTrue(broken.isEmpty(), "unresolved $ref: " + broken);
        assertFalse(document.references().isEmpty());
    }

    @Test
    void everyOperationIsCompleteAndItsPathParametersAreDeclared() {
        Set<String> ids = new HashSet<>();
        Pattern placeholder = Pattern.compile("\\{([^}]+)}");
        for (OpenApiDocument.Operation op : document.operations()) {
            assertTrue(ids.add(op.id()), "operationId missing or repeated: " + op);
            assertTrue(op.node().has("summary"), "summary: " + op);
            assertTrue(op.node().has("security"), "security (use [] for none): " + op);
            assertFalse(op.node().path("responses").isEmpty(), "responses: " + op);
            if (op.path().startsWith("/admin/")) {
                assertFalse(op.node().path("x-required-roles").isEmpty(), "x-required-roles: " + op);
            }
            Set<String> inPath = new TreeSet<>();
            Matcher matcher = placeholder.matcher(op.path());
            while (matcher.find()) {
                inPath.add(matcher.group(1));
            }
            Set<String> declared = op.parameters().stream().filter(p -> "path".equals(p.path("in").asText()))
                    .map(p -> p.path("name").asText()).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(inPath, declared, "path parameters of " + op);
            op.parameters().stream().filter(p -> "path".equals(p.path("in").asText()))
                    .forEach(p -> assertTrue(p.path("required").asBoolean(), "path parameters are required: " + op));
        }
    }

    @Test
    void everyExampleMatchesItsSchema() {
        SchemaValidator validator = new SchemaValidator(document);
        int checked = 0;
        for (OpenApiDocument.Operation op : document.operations()) {
            JsonNode content = document.resolve(op.node().path("requestBody")).path("content");
            for (var media = content.fields(); media.hasNext(); ) {
                var entry = media.next();
                JsonNode schema = entry.getValue().path("schema");
                List<JsonNode> examples = new ArrayList<>();
                if (entry.getValue().has("example")) {
                    examples.add(entry.getValue().get("example"));
                }
                entry.getValue().path("examples").forEach(example -> examples.add(example.get("value")));
                for (JsonNode example : examples) {
                    assertEquals(List.of(), validator.validate(example, schema),
                            op + " " + entry.getKey() + " example " + example);
                    checked++;
                }
            }
        }
        assertTrue(checked > 15, "examples checked: " + checked);
    }

    @Test
    void theValidatorRejectsWhatTheSchemasForbid() throws Exception {
        SchemaValidator validator = new SchemaValidator(document);
        JsonNode error = document.pointer("#/components/schemas/Error");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(List.of(), validator.validate(
                json.readTree("{\"error\": \"not_found\", \"error_description\": \"x\"}"), error));
        assertFalse(validator.validate(json.readTree("{\"error\": \"not_found\"}"), error).isEmpty());
        assertFalse(validator.validate(json.readTree("{\"error\": \"HTTP 404 Not Found\", \"error_description\": \"x\"}"),
                error).isEmpty());
        JsonNode settings = document.pointer("#/components/schemas/Settings");
        assertFalse(validator.validate(json.readTree("{\"anonymous\": {}}"), settings).isEmpty());
    }

    @Test
    void theKcadmWalkthroughHasACommandForEveryAdminOperationAndNoStaleOne() {
        DocsExamples docs = DocsExamples.load();
        List<OpenApiDocument.Operation> admin = adminOperations();
        List<String> missing = new ArrayList<>();
        for (OpenApiDocument.Operation op : admin) {
            boolean covered;
            if (op.method().equals("PATCH")) {
                Pattern url = Pattern.compile("https?://[^/\\s]+" + template(op.path()) + "(\\s|$)");
                covered = docs.curlLines().stream()
                        .anyMatch(curl -> curl.contains("-X PATCH") && url.matcher(curl).find());
            } else {
                covered = docs.commands().stream().anyMatch(command -> documents(op, command));
            }
            if (!covered) {
                missing.add(op.key());
            }
        }
        assertTrue(missing.isEmpty(), "admin operations without a kcadm (or curl PATCH) example in "
                + docs.walkthroughPage() + ": " + missing);
        assertTrue(docs.commands().size() >= admin.size() - 1, "commands: " + docs.commands().size());
    }

    @Test
    void everyKcadmExampleOfTheDocsIsOneTheWalkthroughRuns() {
        DocsExamples docs = DocsExamples.load();
        List<OpenApiDocument.Operation> admin = adminOperations();
        List<String> stale = new ArrayList<>();
        List<String> notRun = new ArrayList<>();
        for (DocsExamples.Command command : docs.allCommands()) {
            if (admin.stream().noneMatch(op -> documents(op, command))) {
                stale.add(command.toString());
            }
            // KcadmExamplesIT runs the walkthrough; elsewhere the pages show commands it runs, in any realm.
            boolean run = docs.commands().stream().anyMatch(walked -> walked.argsInDemo().equals(command.argsInDemo())
                    && Objects.equals(walked.stdin(), command.stdin()));
            if (!run) {
                notRun.add(command.toString());
            }
        }
        assertTrue(stale.isEmpty(), "kcadm examples that match no documented operation: " + stale);
        assertTrue(notRun.isEmpty(), "kcadm examples that are not in the walkthrough of " + docs.walkthroughPage()
                + " (which KcadmExamplesIT runs): " + notRun);
        assertTrue(docs.allCommands().size() > docs.commands().size(), "kcadm examples: " + docs.allCommands().size());
    }

    @Test
    void everyCurlExampleOfTheDocsCallsADocumentedOperationOrGrant() {
        DocsExamples docs = DocsExamples.load();
        Set<String> grantTypes = new TreeSet<>();
        document.pointer("#/components/schemas/TokenRequest/properties/grant_type/enum")
                .forEach(value -> grantTypes.add(value.asText()));
        Pattern ours = Pattern.compile("(/admin)?/realms/[^/]+/app-users(/.*)?");
        Pattern token = Pattern.compile(template(TOKEN_PATH));
        List<String> undocumented = new ArrayList<>();
        int checked = 0;
        for (DocsExamples.Curl curl : docs.allCurls()) {
            String path = curl.path();
            if (path == null) {
                continue;
            }
            if (ours.matcher(path).matches()) {
                checked++;
                boolean documented = document.operations().stream().anyMatch(op -> op.method().equals(curl.method())
                        && Pattern.compile(template(op.path())).matcher(path).matches());
                if (!documented) {
                    undocumented.add(curl.method() + " " + path + " (" + curl + ")");
                }
            } else if (token.matcher(path).matches()
                    && curl.formFields().getOrDefault("grant_type", "").startsWith("urn:app-users:")) {
                checked++;
                if (!curl.method().equals("POST") || !grantTypes.contains(curl.formFields().get("grant_type"))) {
                    undocumented.add(curl.method() + " grant " + curl.formFields().get("grant_type") + " (" + curl + ")");
                }
            }
        }
        assertTrue(undocumented.isEmpty(), "curl examples of the docs that call no documented operation: " + undocumented);
        assertTrue(checked > 40, "curl examples checked: " + checked);
    }

    private List<OpenApiDocument.Operation> adminOperations() {
        return document.operations().stream().filter(op -> op.path().startsWith(ADMIN_ROOT + "/")).toList();
    }

    /** Whether the kcadm command calls the admin operation (kcadm paths are relative to /admin/realms/{realm}). */
    private static boolean documents(OpenApiDocument.Operation op, DocsExamples.Command command) {
        return op.method().equals(command.httpMethod())
                && Pattern.compile(template(op.path().substring("/admin/realms/{realm}/".length())))
                        .matcher(command.path()).matches();
    }

    /** A path template as a regex: each {parameter} is one path segment. */
    private static String template(String path) {
        StringBuilder regex = new StringBuilder();
        Matcher matcher = Pattern.compile("\\{[^}]+}").matcher(path);
        int last = 0;
        while (matcher.find()) {
            regex.append(Pattern.quote(path.substring(last, matcher.start()))).append("[^/\\s]+");
            last = matcher.end();
        }
        return regex.append(Pattern.quote(path.substring(last))).toString();
    }

    /** The classes of {@code io.github.appusers} as compiled into target/classes. */
    private static List<Class<?>> extensionClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(AppUsersRealmResource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes.resolve("io/github/appusers"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                types.add(Class.forName(name, false, OpenApiDocumentTest.class.getClassLoader()));
            }
        }
        return types;
    }
}
