package io.github.appusers.emailpassword;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Making email tokens and judging presented ones, without a database (times are given). */
class EmailTokenRulesTest {

    private static final String REALM = "realm-1";
    private static final long CREATED = 1_750_000_000_000L;
    private static final long EXPIRES = CREATED + 1800_000L;

    private static EmailTokenEntity stored(String token, String purpose) {
        EmailTokenEntity entity = new EmailTokenEntity();
        entity.setId("11111111-2222-3333-4444-555555555555");
        entity.setRealmId(REALM);
        entity.setUserId("user-1");
        entity.setPurpose(purpose);
        entity.setTokenHash(EmailTokenRules.hash(token));
        entity.setCreatedAt(CREATED);
        entity.setExpiresAt(EXPIRES);
        return entity;
    }

    @Test
    void aNewTokenIs256RandomBitsInBase64UrlWithoutPadding() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String token = EmailTokenRules.newToken();
            assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
            tokens.add(token);
        }
        assertEquals(200, tokens.size(), "no token repeats");
    }

    @Test
    void onlyTheSha256HexOfATokenIsStored() {
        // SHA-256("abc"), the FIPS 180-2 test vector.
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", EmailTokenRules.hash("abc"));
        String token = EmailTokenRules.newToken();
        assertTrue(EmailTokenRules.hash(token).matches("[0-9a-f]{64}"));
        assertNotEquals(token, EmailTokenRules.hash(token));
    }

    @Test
    void theExpiryIsTheCreationPlusTheLifetimeInMillisecondsWithoutOverflow() {
        assertEquals(CREATED + 1_800_000L, EmailTokenRules.expiresAt(CREATED, 1800));
        // 30 days in milliseconds is past Integer.MAX_VALUE.
        assertEquals(CREATED + 2_592_000_000L, EmailTokenRules.expiresAt(CREATED, 30 * 24 * 3600));
    }

    @Test
    void aValidTokenIsValidUpToAndIncludingItsExpiryTime() {
        String token = EmailTokenRules.newToken();
        EmailTokenEntity row = stored(token, EmailTokens.CONFIRM);
        assertEquals(EmailTokens.Check.VALID, EmailTokenRules.check(row, REALM, EmailTokens.CONFIRM, token, CREATED));
        assertEquals(EmailTokens.Check.VALID, EmailTokenRules.check(row, REALM, EmailTokens.CONFIRM, token, EXPIRES));
        assertEquals(EmailTokens.Check.EXPIRED,
                EmailTokenRules.check(row, REALM, EmailTokens.CONFIRM, token, EXPIRES + 1));
    }

    @Test
    void aTokenIsInvalidWithoutItsRowOrForAnotherRealmPurposeOrSecret() {
        String token = EmailTokenRules.newToken();
        EmailTokenEntity row = stored(token, EmailTokens.CONFIRM);
        assertEquals(EmailTokens.Check.INVALID, EmailTokenRules.check(null, REALM, EmailTokens.CONFIRM, token, CREATED));
        assertEquals(EmailTokens.Check.INVALID,
                EmailTokenRules.check(row, "realm-2", EmailTokens.CONFIRM, token, CREATED));
        assertEquals(EmailTokens.Check.INVALID, EmailTokenRules.check(row, REALM, EmailTokens.RESET, token, CREATED),
                "a confirmation link does not reset a password");
        assertEquals(EmailTokens.Check.INVALID,
                EmailTokenRules.check(row, REALM, EmailTokens.CONFIRM, EmailTokenRules.newToken(), CREATED));
        assertEquals(EmailTokens.Check.INVALID,
                EmailTokenRules.check(row, REALM, EmailTokens.CONFIRM, EmailTokenRules.hash(token), CREATED),
                "the stored hash is no token");
    }

    @Test
    void onlyTheRightTokenLearnsThatItExpired() {
        String token = EmailTokenRules.newToken();
        EmailTokenEntity row = stored(token, EmailTokens.RESET);
        assertEquals(EmailTokens.Check.INVALID,
                EmailTokenRules.check(row, REALM, EmailTokens.RESET, EmailTokenRules.newToken(), EXPIRES + 1));
        assertEquals(EmailTokens.Check.EXPIRED, EmailTokenRules.check(row, REALM, EmailTokens.RESET, token, EXPIRES + 1));
    }

    @Test
    void idsAndTokensThatNoRowCanHoldAreTurnedAwayBeforeAnyLookup() {
        String id = "11111111-2222-3333-4444-555555555555";
        assertTrue(EmailTokenRules.presentable(id, "t".repeat(128)));
        assertFalse(EmailTokenRules.presentable(null, "token"));
        assertFalse(EmailTokenRules.presentable(id, null));
        assertFalse(EmailTokenRules.presentable(id + "6", "token"), "longer than an id");
        assertFalse(EmailTokenRules.presentable(id, "t".repeat(129)), "longer than any token");
        assertFalse(EmailTokenRules.presentable("1111\u00002222", "token"), "PostgreSQL text cannot hold NUL");
        // The token is only hashed, never sent to the database: a NUL in it just makes it wrong.
        assertTrue(EmailTokenRules.presentable(id, "tok\u0000en"));
    }
}
