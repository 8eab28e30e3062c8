package io.github.appusers.apikeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code ak.<key id>.<secret>} value of an API key: what is made, and what verify looks up at all. */
class ApiKeyFormatTest {

    private static final String ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private static final String SECRET = "q2Vb8xYJ0m_T-4kLr5sWn9cZp1aHd3eGf7iKo6uQwEA";

    @Test
    void aNewSecretIs256RandomBitsInBase64UrlWithoutPadding() {
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String secret = ApiKeyFormat.newSecret();
            assertTrue(secret.matches("[A-Za-z0-9_-]{43}"), secret);
            secrets.add(secret);
        }
        assertEquals(200, secrets.size(), "no secret repeats");
    }

    @Test
    void aValueIsAkDotIdDotSecretAndParsesBackIntoItsParts() {
        String id = UUID.randomUUID().toString(); // the shape of KeycloakModelUtils.generateId()
        String secret = ApiKeyFormat.newSecret();
        String value = ApiKeyFormat.value(id, secret);
        assertEquals("ak." + id + "." + secret, value);
        assertEquals(Optional.of(new ApiKeyFormat.Parts(id, secret)), ApiKeyFormat.parse(value));
        assertEquals(Optional.of(new ApiKeyFormat.Parts(ID, SECRET)), ApiKeyFormat.parse("ak." + ID + "." + SECRET));
    }

    @Test
    void nothingIsNoKey() {
        assertEquals(Optional.empty(), ApiKeyFormat.parse(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "ak.",
        "ak..",
        "not-a-key",
        // Another prefix, or the right one in another case.
        "AK." + ID + "." + SECRET,
        "ak:" + ID + ":" + SECRET,
        "sk." + ID + "." + SECRET,
        // A part missing or doubled.
        "ak." + ID,
        "ak." + SECRET,
        "ak." + ID + ".",
        "ak." + ID + "." + SECRET + "." + SECRET,
        // The id: 36 lowercase hex digits and dashes.
        "ak.0F8FAD5B-D9CB-469F-A165-70867728950E." + SECRET,
        "ak.0f8fad5b-d9cb-469f-a165-70867728950." + SECRET,
        "ak.0f8fad5b-d9cb-469f-a165-70867728950e0." + SECRET,
        "ak.0f8fad5g-d9cb-469f-a165-70867728950e." + SECRET,
        // The secret: 43 base64url characters, no padding, no standard base64 alphabet.
        "ak." + ID + ".q2Vb8xYJ0m_T-4kLr5sWn9cZp1aHd3eGf7iKo6uQwE",
        "ak." + ID + ".q2Vb8xYJ0m_T-4kLr5sWn9cZp1aHd3eGf7iKo6uQwEAA",
        "ak." + ID + ".q2Vb8xYJ0m_T-4kLr5sWn9cZp1aHd3eGf7iKo6uQwE=",
        "ak." + ID + ".q2Vb8xYJ0m+T/4kLr5sWn9cZp1aHd3eGf7iKo6uQwEA",
        // Around the value: whitespace, line breaks, NUL.
        " ak." + ID + "." + SECRET,
        "ak." + ID + "." + SECRET + " ",
        "ak." + ID + "." + SECRET + "\n",
        "Bearer ak." + ID + "." + SECRET,
        "ak." + ID + "." + SECRET + "\u0000",
        "ak.0f8fad5b-d9cb-469f-a165\u0000-70867728950." + SECRET,
    })
    void anythingElseIsNoKeyAndIsNeverLookedUp(String value) {
        assertEquals(Optional.empty(), ApiKeyFormat.parse(value), value);
    }
}
