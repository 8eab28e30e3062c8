package io.github.appusers.openapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * {@code openapi/app-users.yaml} read as a tree: its operations, with {@code $ref}s resolved on
 * demand. Only local references ({@code #/...}) are used in the document, and only those are read.
 */
public final class OpenApiDocument {

    static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final JsonNode root;

    private OpenApiDocument(JsonNode root) {
        this.root = root;
    }

    /** The document of this checkout: {@code it.project.dir} in ITs, the working directory otherwise. */
    public static OpenApiDocument load() {
        Path file = Path.of(System.getProperty("it.project.dir", "."), "openapi", "app-users.yaml");
        try {
            return new OpenApiDocument(new ObjectMapper(new YAMLFactory()).readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }

    public JsonNode root() {
        return root;
    }

    /** One method of one path, with the path-level parameters merged in. */
    public record Operation(String method, String path, JsonNode node, List<JsonNode> parameters) {

        /** e.g. {@code GET /realms/{realm}/app-users/me}. */
        public String key() {
            return method + " " + path;
        }

        public String id() {
            return node.path("operationId").asText();
        }

        @Override
        public String toString() {
            return key();
        }
    }

    public List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!HTTP_METHODS.contains(op.getKey())) {
                    continue;
                }
                List<JsonNode> parameters = new ArrayList<>();
                path.getValue().path("parameters").forEach(p -> parameters.add(resolve(p)));
                op.getValue().path("parameters").forEach(p -> parameters.add(resolve(p)));
                operations.add(new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), op.getValue(),
                        parameters));
            }
        }
        return operations;
    }

    /** The node itself, or what its {@code $ref} points at (followed until no {@code $ref} is left). */
    public JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int depth = 0; current != null && current.has("$ref"); depth++) {
            if (depth > 20) {
                throw new IllegalStateException("$ref cycle at " + node);
            }
            current = pointer(current.get("$ref").asText());
        }
        return current;
    }

    /** The node at a local reference such as {@code #/components/schemas/Error}; missing if none. */
    public JsonNode pointer(String ref) {
        if (!ref.startsWith("#/")) {
            return MissingNode.getInstance();
        }
        return root.at(ref.substring(1));
    }

    /** Every {@code $ref} value anywhere in the document. */
    public List<String> references() {
        List<String> refs = new ArrayList<>();
        collectRefs(root, refs);
        return refs;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if ("$ref".equals(field.getKey()) && field.getValue().isTextual()) {
                    refs.add(field.getValue().asText());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }
}
