package io.github.appusers.apikeys;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of an API key, {@code ak.<key id>.<secret>}: the key's id (a Keycloak id, 36
 * characters) and 256 random bits of secret, base64url without padding (43 characters).
 */
final class ApiKeyFormat {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern FORMAT = Pattern.compile("ak\\.([0-9a-f-]{36})\\.([A-Za-z0-9_-]{43})");

    /** The two parts of a well-formed value. */
    record Parts(String keyId, String secret) {
    }

    private ApiKeyFormat() {
    }

    static String newSecret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    static String value(String keyId, String secret) {
        return "ak." + keyId + "." + secret;
    }

    /** The parts of a value of the key format; empty for anything else (null among it). */
    static Optional<Parts> parse(String value) {
        Matcher match = value == null ? null : FORMAT.matcher(value);
        if (match == null || !match.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Parts(match.group(1), match.group(2)));
    }
}
