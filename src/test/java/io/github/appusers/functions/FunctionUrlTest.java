package io.github.appusers.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FunctionUrlTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://fn.example.test/login", "http://127.0.0.1:8099/login",
            "http://[::1]:9000/x", "http://127.5.6.7/x"})
    void httpsAnywhereAndPlainHttpOnlyOnLoopbackAreAccepted(String url) throws Exception {
        assertEquals(url, FunctionRequests.url(TextNode.valueOf(url)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://fn.example.test/login", "http://10.1.2.3/x", "http://127.0.0.1.nip.io/x",
            "ftp://127.0.0.1/x", "https://user:pw@fn.example.test/", "/relative", "not a url", "https:///nohost",
            "http://localhost/x", "http://LOCALHOST:8080/x"})
    void everythingElseIsRefused(String url) {
        assertThrows(FunctionRegistry.InvalidFunctionException.class, () -> FunctionRequests.url(TextNode.valueOf(url)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"login", "hello-world", "a.b_c", "X1"})
    void namesAreShortAndPlain(String name) {
        assertTrue(FunctionRegistry.isValidName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-leading", "has space", "sl/ash", "x12345678901234567890123456789012345678901234567890123456789012345"})
    void otherNamesAreRefused(String name) {
        assertFalse(FunctionRegistry.isValidName(name));
    }
}
