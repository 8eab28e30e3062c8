package io.github.appusers.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class FunctionSignatureTest {

    @Test
    void isTheHmacSha256OfTimestampDotBodyInLowercaseHex() {
        // Reference value computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
        String header = FunctionSignature.header("secret", 1_700_000_000L, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals("t=1700000000,v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686", header);
    }

    @Test
    void anyChangeOfSecretTimeOrBodyChangesTheSignature() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String base = FunctionSignature.hmacHex("secret", 1L, body);
        assertNotEquals(base, FunctionSignature.hmacHex("secret2", 1L, body));
        assertNotEquals(base, FunctionSignature.hmacHex("secret", 2L, body));
        assertNotEquals(base, FunctionSignature.hmacHex("secret", 1L, "{\"a\":2}".getBytes(StandardCharsets.UTF_8)));
    }
}
