package io.github.appusers.openapi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks a JSON value against a schema of the document, for the OpenAPI 3.0 keywords the
 * document uses: $ref, type, nullable, enum, required, properties, additionalProperties, items,
 * allOf, oneOf, anyOf, minimum, maximum, minLength, maxLength, maxItems, pattern. Unknown
 * keywords are ignored (as a validator must); a schema without keywords accepts anything.
 */
public final class SchemaValidator {

    private final OpenApiDocument document;

    public SchemaValidator(OpenApiDocument document) {
        this.document = document;
    }

    /** The problems found, each naming where in the value; empty when the value is valid. */
    public List<String> validate(JsonNode value, JsonNode schema) {
        List<String> problems = new ArrayList<>();
        check(value, schema, "$", problems);
        return problems;
    }

    private void check(JsonNode value, JsonNode schemaOrRef, String at, List<String> problems) {
        JsonNode schema = document.resolve(schemaOrRef);
        if (schema == null || schema.isMissingNode()) {
            problems.add(at + ": the schema reference does not resolve: " + schemaOrRef);
            return;
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false) && schema.has("type")) {
                problems.add(at + ": null where " + schema.get("type").asText() + " is required");
            }
            return;
        }
        for (JsonNode part : schema.path("allOf")) {
            check(value, part, at, problems);
        }
        if (schema.has("oneOf")) {
            int matches = 0;
            for (JsonNode part : schema.get("oneOf")) {
                matches += validate(value, part).isEmpty() ? 1 : 0;
            }
            if (matches != 1) {
                problems.add(at + ": matches " + matches + " of the oneOf alternatives instead of exactly one");
            }
        }
        if (schema.has("anyOf")) {
            boolean any = false;
            for (JsonNode part : schema.get("anyOf")) {
                any |= validate(value, part).isEmpty();
            }
            if (!any) {
                problems.add(at + ": matches none of the anyOf alternatives");
            }
        }
        if (schema.has("type") && !hasType(value, schema.get("type").asText())) {
            problems.add(at + ": " + value.getNodeType() + " where " + schema.get("type").asText() + " is required");
            return;
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : schema.get("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                problems.add(at + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (value.isNumber()) {
            if (schema.has("minimum") && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0) {
                problems.add(at + ": " + value + " is below the minimum " + schema.get("minimum"));
            }
            if (schema.has("maximum") && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0) {
                problems.add(at + ": " + value + " is above the maximum " + schema.get("maximum"));
            }
        }
        if (value.isTextual()) {
            int length = value.asText().codePointCount(0, value.asText().length());
            if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
                problems.add(at + ": shorter than " + schema.get("minLength"));
            }
            if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
                problems.add(at + ": longer than " + schema.get("maxLength"));
            }
            if (schema.has("pattern") && !java.util.regex.Pattern.compile(schema.get("pattern").asText())
                    .matcher(value.asText()).find()) {
                problems.add(at + ": does not match " + schema.get("pattern"));
            }
        }
        if (value.isArray()) {
            if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
                problems.add(at + ": more than " + schema.get("maxItems") + " items");
            }
            if (schema.has("items")) {
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), schema.get("items"), at + "[" + i + "]", problems);
                }
            }
        }
        if (value.isObject()) {
            for (JsonNode name : schema.path("required")) {
                if (!value.has(name.asText())) {
                    problems.add(at + ": the required field '" + name.asText() + "' is missing");
                }
            }
            JsonNode properties = schema.path("properties");
            Set<String> declared = new HashSet<>();
            properties.fieldNames().forEachRemaining(declared::add);
            value.fields().forEachRemaining(field -> {
                String where = at + "." + field.getKey();
                if (declared.contains(field.getKey())) {
                    check(field.getValue(), properties.get(field.getKey()), where, problems);
                } else if (schema.has("additionalProperties")) {
                    JsonNode additional = schema.get("additionalProperties");
                    if (additional.isBoolean() && !additional.asBoolean()) {
                        problems.add(where + ": a field the schema does not declare");
                    } else if (additional.isObject()) {
                        check(field.getValue(), additional, where, problems);
                    }
                }
            });
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> false;
        };
    }
}
