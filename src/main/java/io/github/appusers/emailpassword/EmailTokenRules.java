package io.github.appusers.emailpassword;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import io.github.appusers.common.NulChars;
import io.github.appusers.common.Sha256;

/**
 * How email tokens are made and how a presented one is judged, apart from their storage
 * ({@link EmailTokens}): a token is 256 random bits, stored only as its SHA-256 hash, valid
 * until its expiry time for its realm and purpose.
 */
final class EmailTokenRules {

    /** The longest token_id and token looked up; anything longer is no token of ours. */
    static final int MAX_TOKEN_ID_LENGTH = 36;
    static final int MAX_TOKEN_LENGTH = 128;

    private static final SecureRandom RANDOM = new SecureRandom();

    private EmailTokenRules() {
    }

    /** A new token: 32 random bytes, base64url without padding (43 characters). */
    static String newToken() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** What is stored of a token. */
    static String hash(String token) {
        return Sha256.hex(token);
    }

    static long expiresAt(long createdAtMillis, int ttlSeconds) {
        return createdAtMillis + ttlSeconds * 1000L;
    }

    /** False for a token_id and token that can be no stored token's, before any lookup. */
    static boolean presentable(String tokenId, String token) {
        return tokenId != null && token != null && tokenId.length() <= MAX_TOKEN_ID_LENGTH
                && token.length() <= MAX_TOKEN_LENGTH && !NulChars.in(tokenId);
    }

    /**
     * Judges a presented token against the stored row its token_id found (null: none): invalid
     * unless the row is of this realm and purpose and holds the token's hash (compared in constant
     * time); expired once {@code nowMillis} is past its expiry time.
     */
    static EmailTokens.Check check(EmailTokenEntity stored, String realmId, String purpose, String token,
            long nowMillis) {
        if (stored == null || !stored.getRealmId().equals(realmId) || !stored.getPurpose().equals(purpose)
                || !MessageDigest.isEqual(stored.getTokenHash().getBytes(StandardCharsets.US_ASCII),
                        hash(token).getBytes(StandardCharsets.US_ASCII))) {
            return EmailTokens.Check.INVALID;
        }
        if (stored.getExpiresAt() < nowMillis) {
            return EmailTokens.Check.EXPIRED;
        }
        return EmailTokens.Check.VALID;
    }
}
