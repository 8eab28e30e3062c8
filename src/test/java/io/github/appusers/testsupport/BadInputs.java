package io.github.appusers.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Malformed variants of a request: broken and non-object JSON, wrong types per field, missing and
 * extra fields, deep nesting, huge bodies, control characters, invalid UTF-8, injection-looking
 * strings, wrong content types. Each variant is a name and the exact bytes to send.
 */
public final class BadInputs {

    /** One request body to send, with its content type (null: no Content-Type header). */
    public record Body(String label, String contentType, byte[] bytes) {
    }

    /** The JSON type a field should have; anything else is a wrong type. */
    public enum Type { STRING, OBJECT, NUMBER, BOOLEAN, ANY }

    public static final String JSON = "application/json";
    /** Deeper than any parser should follow: 10,000 levels. */
    public static final int DEEP = 10_000;
    /** Several megabytes: above every body limit of ours. */
    public static final int HUGE = 5 * 1024 * 1024;

    /** Strings that look like attacks; each must be treated as plain data. */
    public static final List<String> INJECTIONS = List.of(
            "' OR '1'='1' --",
            "\"; DROP TABLE USER_ENTITY; --",
            "${jndi:ldap://127.0.0.1:1/a}",
            "${env:KC_BOOTSTRAP_ADMIN_PASSWORD}",
            "#{7*7}",
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "../../../../etc/passwd",
            "..%2f..%2f..%2fetc%2fpasswd",
            "\u0000\u0001\u0002\u001b[31mcontrol\r\nSet-Cookie: x=y",
            "\u202Eevil\uFEFF\uD83D\uDE00",
            "nul\u0000inside@example.test",
            "a".repeat(100_000));

    private static final List<Object> VALUES_OF_EVERY_TYPE = List.of(
            "a string", 42, 1.5e308, true, Map.of("nested", "object"), List.of(1, "two"), "");

    private BadInputs() {
    }

    /** Bodies that are not a usable JSON document at all. */
    public static List<Body> brokenDocuments() {
        List<Body> bodies = new ArrayList<>();
        for (String text : List.of("", " ", "{", "}", "{\"a\":", "{\"a\" 1}", "{'a': 1}", "{\"a\": 1,}", "nul",
                "[", "{\"a\": tru}", "{\"a\": 01}", "{\"a\": NaN}", "\"unterminated", "<xml/>", "a=1&b=2")) {
            bodies.add(new Body("broken JSON " + quote(text), JSON, text.getBytes(StandardCharsets.UTF_8)));
        }
        for (String text : List.of("[]", "[{}]", "\"text\"", "42", "true", "null")) {
            bodies.add(new Body("non-object JSON " + text, JSON, text.getBytes(StandardCharsets.UTF_8)));
        }
        bodies.add(new Body("10,000 nested arrays", JSON, nested(DEEP, "[", "]", "1")));
        bodies.add(new Body("10,000 nested objects", JSON, nested(DEEP, "{\"a\":", "}", "1")));
        bodies.add(new Body("invalid UTF-8 bytes", JSON, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28,
                (byte) 0xFF, (byte) 0xFE, '"', '}'}));
        bodies.add(new Body("UTF-16 body", JSON, "{\"a\": \"b\"}".getBytes(StandardCharsets.UTF_16)));
        bodies.add(new Body("NUL bytes", JSON, new byte[] {0, 0, 0, 0}));
        bodies.add(new Body("5 MB of spaces then {}", JSON, padded(" ".repeat(HUGE) + "{}")));
        return bodies;
    }

    /**
     * Variants of a good-looking body: each field wrong-typed, missing, nested 10,000 deep, huge;
     * {@code injectable} string fields get the injection strings; plus extra fields and invalid
     * UTF-8 inside a value, and the base body with wrong content types.
     */
    public static List<Body> variants(Map<String, Object> base, Map<String, Type> fields, Set<String> injectable) {
        List<Body> bodies = new ArrayList<>();
        for (Map.Entry<String, Type> field : fields.entrySet()) {
            String name = field.getKey();
            if (field.getValue() != Type.ANY) {
                for (Object value : VALUES_OF_EVERY_TYPE) {
                    if (!hasType(value, field.getValue())) {
                        bodies.add(json("wrong type " + name + "=" + shortText(value), with(base, name, value)));
                    }
                }
                bodies.add(json("null " + name, with(base, name, null)));
            }
            Map<String, Object> without = new LinkedHashMap<>(base);
            without.remove(name);
            bodies.add(json("missing " + name, without));
            bodies.add(new Body("10,000 levels in " + name, JSON, withRaw(base, name, new String(nested(DEEP, "[", "]", "1"),
                    StandardCharsets.UTF_8))));
            bodies.add(new Body("5 MB string in " + name, JSON, withRaw(base, name, "\"" + "x".repeat(HUGE) + "\"")));
            bodies.add(new Body("invalid UTF-8 in " + name, JSON, invalidUtf8In(base, name)));
            if (injectable.contains(name)) {
                for (String injection : INJECTIONS) {
                    bodies.add(json("injection in " + name + ": " + shortText(injection), with(base, name, injection)));
                }
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>(base);
        extra.put("unexpected_field", Map.of("__proto__", Map.of("admin", true)));
        extra.put("$where", "1 == 1");
        bodies.add(json("extra fields", extra));
        String duplicate = Api.toJson(base);
        if (duplicate.length() > 2) {
            String first = fields.keySet().iterator().next();
            bodies.add(new Body("duplicate key " + first, JSON, (duplicate.substring(0, duplicate.length() - 1)
                    + ",\"" + first + "\": [\"dup\"]}").getBytes(StandardCharsets.UTF_8)));
        }
        byte[] good = Api.toJson(base).getBytes(StandardCharsets.UTF_8);
        for (String type : new String[] {"text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/json; charset=ISO-8859-1", null}) {
            bodies.add(new Body("content type " + type, type, good));
        }
        return bodies;
    }

    public static Body json(String label, Object body) {
        return new Body(label, JSON, Api.toJson(body).getBytes(StandardCharsets.UTF_8));
    }

    private static boolean hasType(Object value, Type type) {
        return switch (type) {
            case STRING -> value instanceof String;
            case OBJECT -> value instanceof Map;
            case NUMBER -> value instanceof Number;
            case BOOLEAN -> value instanceof Boolean;
            case ANY -> true;
        };
    }

    private static Map<String, Object> with(Map<String, Object> base, String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(base);
        copy.put(name, value);
        return copy;
    }

    /** The base body with {@code name}'s value replaced by raw JSON text. */
    private static byte[] withRaw(Map<String, Object> base, String name, String rawValue) {
        String marker = "\"@@raw@@\"";
        return Api.toJson(with(base, name, "@@raw@@")).replace(marker, rawValue).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] invalidUtf8In(Map<String, Object> base, String name) {
        byte[] text = Api.toJson(with(base, name, "@@raw@@")).getBytes(StandardCharsets.UTF_8);
        String json = new String(text, StandardCharsets.UTF_8);
        int at = json.indexOf("@@raw@@");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(text, 0, at);
        out.writeBytes(new byte[] {(byte) 0xC0, (byte) 0xAF, (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xFF});
        out.write(text, at + 7, text.length - at - 7);
        return out.toByteArray();
    }

    public static byte[] nested(int depth, String open, String close, String inner) {
        StringBuilder text = new StringBuilder(depth * (open.length() + close.length()) + inner.length());
        text.append(open.repeat(depth)).append(inner).append(close.repeat(depth));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] padded(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static String shortText(Object value) {
        String text = String.valueOf(value).replaceAll("\\p{Cntrl}", "?");
        return text.length() <= 40 ? text : text.substring(0, 40) + "...(" + text.length() + ")";
    }

    private static String quote(String text) {
        return "'" + shortText(text) + "'";
    }

    /** Wrong-typed replacements for every field of a settings-like document of sections. */
    public static List<Body> settingsVariants(JsonNode settings) {
        List<Body> bodies = new ArrayList<>();
        settings.fields().forEachRemaining(section -> {
            for (Object value : List.of(42, "text", true, List.of(), "", Map.of("a", 1))) {
                if (!sameJsonType(section.getValue(), value)) {
                    bodies.add(json("section " + section.getKey() + "=" + shortText(value), Map.of(section.getKey(), value)));
                }
            }
            bodies.add(json("section " + section.getKey() + "=null", with(Map.of(), section.getKey(), null)));
            if (!section.getValue().isObject()) {
                return;
            }
            ((ObjectNode) section.getValue()).fields().forEachRemaining(field -> {
                for (Object value : VALUES_OF_EVERY_TYPE) {
                    if (!sameJsonType(field.getValue(), value)) {
                        bodies.add(json(section.getKey() + "." + field.getKey() + "=" + shortText(value),
                                Map.of(section.getKey(), Map.of(field.getKey(), value))));
                    }
                }
                // null is a value for optional text settings (issuer, urls...); for the others it is wrong.
                if (!field.getValue().isNull() && !field.getValue().isTextual()) {
                    bodies.add(json(section.getKey() + "." + field.getKey() + "=null",
                            Map.of(section.getKey(), with(Map.of(), field.getKey(), null))));
                }
            });
            bodies.add(json(section.getKey() + ".unknown", Map.of(section.getKey(), Map.of("unknown_field", 1))));
        });
        bodies.add(json("unknown section", Map.of("no_such_section", Map.of())));
        return bodies;
    }

    private static boolean sameJsonType(JsonNode current, Object value) {
        if (current.isNull()) {
            return value instanceof String; // nullable text settings
        }
        return current.isTextual() && value instanceof String
                || current.isBoolean() && value instanceof Boolean
                || current.isIntegralNumber() && value instanceof Integer
                || current.isObject() && value instanceof Map
                || current.isArray() && value instanceof List;
    }
}
