package io.github.appusers.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.common.ErrorCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.util.JsonSerialization;

/** A login function's answer: what is taken, and every answer that fails the login before anything is written. */
class LoginAnswerTest {

    private static final FunctionDefinition LOGIN = function();

    private static FunctionDefinition function() {
        FunctionDefinition function = new FunctionDefinition();
        function.name = "login";
        function.kind = FunctionDefinition.Kind.login;
        function.url = "https://fn.example.test/login";
        return function;
    }

    private static JsonNode json(String text) {
        try {
            return JsonSerialization.readValue(text, JsonNode.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static LoginAnswer parse(String answer) throws FunctionException {
        return LoginAnswer.parse(LOGIN, json(answer));
    }

    private static LoginAnswer parse(JsonNode answer) throws FunctionException {
        return LoginAnswer.parse(LOGIN, answer);
    }

    /** The login fails as a broken function (502 function_failed, not a refusal), saying why. */
    private static void refused(JsonNode answer, String why) {
        FunctionException failed = assertThrows(FunctionException.class, () -> parse(answer), answer::toString);
        assertEquals(502, failed.status());
        assertEquals(ErrorCodes.FUNCTION_FAILED, failed.error());
        assertFalse(failed.refused());
        assertTrue(failed.getMessage().startsWith("Function 'login' failed: "), failed.getMessage());
        assertTrue(failed.getMessage().contains(why), failed.getMessage() + " should say: " + why);
    }

    private static void refused(String answer, String why) {
        refused(json(answer), why);
    }

    private static ObjectNode withId() {
        return JsonNodeFactory.instance.objectNode().put("id", "u-1");
    }

    @Test
    void aFullAnswerIsTakenAsItCame() throws Exception {
        LoginAnswer answer = parse("""
                {"id": "u-1", "name": "Ada", "email": "ada@example.test",
                 "attributes": {"plan": "gold", "tags": ["a", "b"], "seats": 3, "trial": false, "x.y-z_1": "v"},
                 "unknown": "ignored"}""");
        assertEquals("u-1", answer.id);
        assertEquals("Ada", answer.name);
        assertEquals("ada@example.test", answer.email);
        assertEquals(Map.of("plan", List.of("gold"), "tags", List.of("a", "b"), "seats", List.of("3"),
                "trial", List.of("false"), "x.y-z_1", List.of("v")), answer.attributes);
        assertEquals(List.of("plan", "tags", "seats", "trial", "x.y-z_1"), List.copyOf(answer.attributes.keySet()),
                "in the answer's order");
    }

    @Test
    void onlyTheIdIsRequiredAndMayBeAnInteger() throws Exception {
        LoginAnswer minimal = parse("{\"id\": \"u-1\"}");
        assertEquals("u-1", minimal.id);
        assertNull(minimal.name);
        assertNull(minimal.email);
        assertTrue(minimal.attributes.isEmpty());
        assertEquals("12345", parse("{\"id\": 12345}").id);
        assertEquals("x".repeat(LoginAnswer.MAX_ID_LENGTH), parse("{\"id\": \"" + "x".repeat(255) + "\"}").id);
    }

    @Test
    void nullOrBlankOptionalFieldsCountAsAbsent() throws Exception {
        LoginAnswer answer = parse("{\"id\": \"u-1\", \"name\": \"  \", \"email\": null, \"attributes\": null}");
        assertNull(answer.name);
        assertNull(answer.email);
        assertTrue(answer.attributes.isEmpty());
        assertNull(parse("{\"id\": \"u-1\", \"email\": \" \"}").email, "a blank email is no address to check");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2]", "\"u-1\"", "42", "null", "true"})
    void anAnswerThatIsNoObjectIsRefused(String answer) {
        refused(answer, "answer is not a JSON object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"id\": null}", "{\"id\": \"\"}", "{\"id\": \"   \"}", "{\"id\": 1.5}",
        "{\"id\": true}", "{\"id\": [\"u-1\"]}", "{\"id\": {\"v\": \"u-1\"}}", "{\"name\": \"nobody\"}",
        "{\"error\": \"account locked upstream\"}"})
    void anAnswerWithoutAUsableIdIsRefused(String answer) {
        refused(answer, "answer has no usable 'id'");
    }

    @Test
    void anIdLongerThan255CharactersIsRefused() {
        refused("{\"id\": \"" + "x".repeat(256) + "\"}", "answer has no usable 'id'");
    }

    @Test
    void nameAndEmailMustBeStringsOfAtMost255Characters() {
        refused(withId().put("name", 7), "'name' must be a string of at most 255 characters");
        refused(withId().put("name", "n".repeat(256)), "'name' must be a string");
        refused(withId().set("email", JsonNodeFactory.instance.arrayNode().add("a@b.test")), "'email' must be a string");
        refused(withId().put("email", "e".repeat(250) + "@b.test"), "'email' must be a string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"no-at-sign", "two@at@signs.test", "@example.test", "ada@", "a da@example.test",
        "ada@exam ple.test"})
    void anInvalidEmailIsRefused(String email) {
        refused(withId().put("email", email), "answer has an invalid 'email'");
    }

    @Test
    void theEmailsLocalPartHasAtMost64Characters() throws Exception {
        assertEquals("l".repeat(64) + "@example.test", parse(withId().put("email", "l".repeat(64) + "@example.test")).email);
        refused(withId().put("email", "l".repeat(65) + "@example.test"), "answer has an invalid 'email'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"gold\"", "[\"gold\"]", "7"})
    void attributesMustBeAnObject(String attributes) {
        refused("{\"id\": \"u-1\", \"attributes\": " + attributes + "}", "'attributes' must be an object of at most 50 fields");
    }

    @Test
    void atMost50AttributesAreTaken() throws Exception {
        ObjectNode fifty = withId();
        ObjectNode attributes = fifty.putObject("attributes");
        for (int i = 0; i < 50; i++) {
            attributes.put("a" + i, "v");
        }
        assertEquals(50, parse(fifty).attributes.size());
        attributes.put("a50", "v");
        refused(fifty, "'attributes' must be an object of at most 50 fields");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "with space", "ümlaut", "semi;colon", "slash/name", "nul\u0000name",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void attributeNamesAreLettersDigitsDotsDashesAndUnderscoresUpTo64(String name) {
        ObjectNode answer = withId();
        answer.putObject("attributes").put(name, "v");
        refused(answer, "attribute name '" + name + "' is not allowed");
    }

    @Test
    void aNameOf64CharactersIsAllowed() throws Exception {
        ObjectNode answer = withId();
        answer.putObject("attributes").put("a".repeat(64), "v");
        assertEquals(List.of("v"), parse(answer).attributes.get("a".repeat(64)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "{\"nested\": 1}", "[\"ok\", {\"nested\": 1}]", "[\"ok\", [\"inner\"]]",
        "[\"ok\", null]"})
    void attributeValuesMustBeStringsNumbersOrBooleans(String value) {
        refused("{\"id\": \"u-1\", \"attributes\": {\"a\": " + value + "}}", "attribute values must be strings,"
                + " numbers or booleans of at most 2048 characters");
    }

    @Test
    void attributeValuesHaveAtMost2048Characters() throws Exception {
        ObjectNode answer = withId();
        ObjectNode attributes = answer.putObject("attributes").put("a", "v".repeat(2048));
        assertEquals(2048, parse(answer).attributes.get("a").get(0).length());
        attributes.put("a", "v".repeat(2049));
        refused(answer, "attribute values must be strings");
        attributes.remove("a");
        attributes.putArray("list").add("ok").add("v".repeat(2049));
        refused(answer, "attribute values must be strings");
    }

    @Test
    void noNulCharacterGetsThroughInAnyTakenValue() {
        refused(JsonNodeFactory.instance.objectNode().put("id", "u\u00001"), "answer contains NUL characters");
        refused(withId().put("name", "A\u0000da"), "answer contains NUL characters");
        // An address with a control character is no address (EmailAddresses), before the NUL check.
        refused(withId().put("email", "a\u0000da@example.test"), "answer has an invalid 'email'");
        ObjectNode single = withId();
        single.putObject("attributes").put("plan", "go\u0000ld");
        refused(single, "answer contains NUL characters");
        ObjectNode inList = withId();
        inList.putObject("attributes").putArray("tags").add("a").add("b\u0000");
        refused(inList, "answer contains NUL characters");
    }
}
