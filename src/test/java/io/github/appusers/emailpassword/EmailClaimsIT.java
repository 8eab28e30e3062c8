package io.github.appusers.emailpassword;

import static io.github.appusers.emailpassword.EmailPasswordIT.base;
import static io.github.appusers.emailpassword.EmailPasswordIT.passwordGrant;
import static io.github.appusers.emailpassword.EmailPasswordIT.register;
import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.Database;
import io.github.appusers.testsupport.Eventually;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.FunctionServer.Answer;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.Mailbox;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Verified means verified, and nobody pre-claims an address: a pending registration or link only
 * claims its address, the first to confirm takes it, and a reset through the emailed link
 * verifies an address and reports the identities added while it was not.
 */
class EmailClaimsIT extends IntegrationTest {

    private static final String SECRET = "claims-function-secret";
    private static Mailbox mailbox;
    private static FunctionServer functions;

    @BeforeAll
    static void setUp() throws Exception {
        mailbox = new Mailbox();
        functions = new FunctionServer(SECRET).on("/confirm", body -> Answer.json(
                body.get("email").asText().startsWith("proven-") ? map("status", "success", "email_verified", true)
                        : map("status", "success")));
    }

    @AfterAll
    static void tearDown() {
        functions.close();
        mailbox.close();
    }

    private static TestRealm realm(String prefix, String confirmation, Map<String, Object> realmFields) {
        Map<String, Object> emailPassword = map("enabled", true, "confirmation", confirmation,
                "resend_cooldown_seconds", 0);
        if ("function".equals(confirmation)) {
            emailPassword.put("confirmation_function", "confirm-fn");
        }
        // The claims of a reset need the realm's "Forgot password" switch on.
        Map<String, Object> fields = new HashMap<>(map("smtpServer", mailbox.smtpSettings(),
                "resetPasswordAllowed", true));
        fields.putAll(realmFields);
        return TestRealm.create(prefix, map("anonymous", map("enabled", true, "max_per_ip_per_hour", 0),
                "email_password", emailPassword), fields).relaxUserProfile();
    }

    private static String unique(String name) {
        return name + "-" + System.nanoTime() + "@example.test";
    }

    private static ApiResponse confirm(TestRealm realm, String link) {
        return realm.api().postJson(base(realm) + "/confirm", null, map("token", Mailbox.param(link, "token"),
                "token_id", Mailbox.param(link, "token_id")));
    }

    /** Confirms with the claim's password, as a contested claim needs. */
    private static ApiResponse confirm(TestRealm realm, String link, String password) {
        return realm.api().postJson(base(realm) + "/confirm", null, map("token", Mailbox.param(link, "token"),
                "token_id", Mailbox.param(link, "token_id"), "password", password));
    }

    private static JsonNode guest(TestRealm realm) {
        return expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:anonymous", "client_id", TestRealm.APP_CLIENT)), 200).json();
    }

    private static ApiResponse linkEmail(TestRealm realm, JsonNode tokens, String email, String password) {
        return realm.api().postJson(realm.path("/app-users/me/identities"), tokens.get("access_token").asText(),
                map("type", "email-password", "email", email, "password", password));
    }

    private static ApiResponse refresh(TestRealm realm, JsonNode tokens) {
        return realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", "refresh_token",
                "client_id", TestRealm.APP_CLIENT, "refresh_token", tokens.get("refresh_token").asText()));
    }

    private static JsonNode me(TestRealm realm, JsonNode tokens) {
        return expect(realm.api().get(realm.path("/app-users/me"), tokens.get("access_token").asText()), 200).json();
    }

    private static boolean emailVerifiedClaim(JsonNode tokens) {
        return Jwt.claims(tokens.get("access_token").asText()).get("email_verified").asBoolean();
    }

    /** The admin's view of the pending user claiming the address. */
    private static JsonNode pendingUser(TestRealm realm, String email) {
        for (JsonNode user : expect(realm.admin().get(realm.adminPath("/app-users/users?status=pending-confirmation")),
                200).json()) {
            if (email.equals(user.path("pending_email").asText())) {
                return user;
            }
        }
        throw new AssertionError("no pending user claims " + email);
    }

    @Test
    void automaticConfirmationLetsTheUserInButLeavesTheAddressUnverified() {
        TestRealm auto = realm("claims-auto", "auto", Map.of());
        String email = unique("abe");
        expect(register(auto, email, "abe-password"), 202);
        JsonNode tokens = expect(passwordGrant(auto, email, "abe-password"), 200).json();
        assertFalse(emailVerifiedClaim(tokens), "auto mode confirms; nobody verified the address");
        assertFalse(me(auto, tokens).get("email_verified").asBoolean());
        assertEquals("local-userpass", me(auto, tokens).at("/identities/0/provider_type").asText());

        // An admin's manual confirmation does not verify either.
        TestRealm byEmail = realm("claims-admin-confirm", "email", Map.of());
        String other = unique("bea");
        expect(register(byEmail, other, "bea-password"), 202);
        expect(byEmail.admin().post(byEmail.adminPath("/app-users/registrations/by-email/" + other + "/confirm"), null),
                200);
        assertFalse(emailVerifiedClaim(expect(passwordGrant(byEmail, other, "bea-password"), 200).json()));
    }

    @Test
    void theEmailedLinkVerifiesTheAddress() throws Exception {
        TestRealm realm = realm("claims-verify", "email", Map.of());
        String email = unique("cal");
        expect(register(realm, email, "cal-password"), 202);
        String id = pendingUser(realm, email).get("id").asText();
        JsonNode stored = expect(realm.admin().get(realm.adminPath("/users/" + id)), 200).json();
        assertTrue(stored.get("username").asText().startsWith("pending-"), "a pending claim holds no username");
        assertFalse(stored.has("email"), "nor the email: " + stored);

        expect(confirm(realm, Mailbox.link(mailbox.await(email, 1).get(0))), 200);
        JsonNode tokens = expect(passwordGrant(realm, email, "cal-password"), 200).json();
        assertTrue(emailVerifiedClaim(tokens));
        assertEquals(email, Jwt.claims(tokens.get("access_token").asText()).get("preferred_username").asText());
    }

    @Test
    void aConfirmationFunctionVerifiesOnlyWhenItSaysSo() {
        TestRealm realm = realm("claims-function", "function", Map.of());
        expect(realm.admin().put(realm.adminPath("/app-users/functions/confirm-fn"), map("kind", "confirmation",
                "url", functions.url("/confirm"), "secret", SECRET)), 200);
        String plain = unique("dee");
        String proven = unique("proven-dee");
        expect(register(realm, plain, "dee-password"), 202);
        expect(register(realm, proven, "dee-password"), 202);
        assertFalse(emailVerifiedClaim(expect(passwordGrant(realm, plain, "dee-password"), 200).json()));
        assertTrue(emailVerifiedClaim(expect(passwordGrant(realm, proven, "dee-password"), 200).json()),
                "the answer said \"email_verified\": true");
    }

    @Test
    void aPendingRegistrationDoesNotBlockTheOwnerAndTheFirstToConfirmWins() throws Exception {
        TestRealm realm = realm("claims-race", "email", Map.of());
        String email = unique("eva");
        // Someone else registers Eva's address first; the link goes to Eva's mailbox.
        expect(register(realm, email, "squatter-password"), 202);
        String squatterLink = Mailbox.link(mailbox.await(email, 1).get(0));
        String squatter = pendingUser(realm, email).get("id").asText();

        expect(register(realm, email, "eva-password"), 202);
        String evaLink = Mailbox.link(mailbox.await(email, 2).get(1));
        assertEquals("confirmation_required", passwordGrant(realm, email, "eva-password").error());
        assertEquals("confirmation_required", passwordGrant(realm, email, "squatter-password").error());

        // Two claims of the address: confirming one needs its password.
        expect(confirm(realm, evaLink, "eva-password"), 200);
        JsonNode tokens = expect(passwordGrant(realm, email, "eva-password"), 200).json();
        assertTrue(emailVerifiedClaim(tokens));
        assertEquals("invalid_grant", passwordGrant(realm, email, "squatter-password").error());

        ApiResponse late = confirm(realm, squatterLink);
        assertEquals(409, late.status(), late.toString());
        assertEquals("identity_in_use", late.error());
        Eventually.await("the losing registration is deleted", Duration.ofSeconds(20),
                () -> realm.admin().get(realm.adminPath("/users/" + squatter)).status() == 404);
        assertEquals(0, Database.count("SELECT COUNT(*) FROM APP_USERS_EMAIL_TOKEN WHERE USER_ID = ?", squatter));
        assertEquals("invalid_token", confirm(realm, squatterLink).error(), "its claim is gone");
        expect(passwordGrant(realm, email, "eva-password"), 200);
    }

    @Test
    void aContestedConfirmationNeedsTheClaimsOwnPasswordAndConsumesNothingWithout() throws Exception {
        TestRealm realm = realm("claims-contested", "email", Map.of());
        String email = unique("jade");
        // A stranger registers Jade's address with his password; Jade registers too: two links arrive.
        expect(register(realm, email, "stranger-password"), 202);
        String strangerLink = Mailbox.link(mailbox.await(email, 1).get(0));
        expect(register(realm, email, "jade-password"), 202);
        String jadeLink = Mailbox.link(mailbox.await(email, 2).get(1));

        for (String link : List.of(strangerLink, jadeLink)) {
            ApiResponse bare = confirm(realm, link);
            assertEquals(400, bare.status(), bare.toString());
            assertEquals("password_required", bare.error());
        }
        ApiResponse wrong = confirm(realm, jadeLink, "stranger-password");
        assertEquals(400, wrong.status(), wrong.toString());
        assertEquals("password_required", wrong.error(), "the other claim's password confirms nothing here");
        assertEquals("confirmation_required", passwordGrant(realm, email, "jade-password").error());
        assertEquals("confirmation_required", passwordGrant(realm, email, "stranger-password").error());
        assertEquals(2, Database.count("SELECT COUNT(*) FROM APP_USERS_EMAIL_TOKEN WHERE EMAIL = ? AND PURPOSE = ?",
                email, "confirm"), "both claims and their tokens are still there");

        // The refused link still works, with the right password.
        expect(confirm(realm, jadeLink, "jade-password"), 200);
        JsonNode tokens = expect(passwordGrant(realm, email, "jade-password"), 200).json();
        assertTrue(emailVerifiedClaim(tokens), "the emailed link verified the address");
        assertEquals("invalid_grant", passwordGrant(realm, email, "stranger-password").error());
        ApiResponse late = confirm(realm, strangerLink, "stranger-password");
        assertEquals(409, late.status(), late.toString());
        assertEquals("identity_in_use", late.error());

        JsonNode refusals = expect(realm.admin().get(realm.adminPath("/events?type=VERIFY_EMAIL_ERROR")), 200).json();
        assertEquals(3, java.util.stream.StreamSupport.stream(refusals.spliterator(), false)
                .filter(event -> "password_required".equals(event.path("error").asText())).count(), refusals.toString());

        // One claim only: no password needed.
        String alone = unique("kit");
        expect(register(realm, alone, "kit-password"), 202);
        expect(confirm(realm, Mailbox.link(mailbox.await(alone, 1).get(0))), 200);
        expect(passwordGrant(realm, alone, "kit-password"), 200);
    }

    @Test
    void aGuestsEmailLinkKeepsTheGuestAnonymousUntilItIsConfirmed() throws Exception {
        TestRealm realm = realm("claims-guest", "email", Map.of());
        JsonNode guest = guest(realm);
        String email = unique("fay");
        ApiResponse linked = expect(linkEmail(realm, guest, email, "fay-password"), 202);
        assertEquals("local-userpass", linked.json().get("provider_type").asText());
        assertEquals(email, linked.json().get("id").asText());
        assertEquals("pending-confirmation", linked.json().get("status").asText());

        JsonNode refreshed = expect(refresh(realm, guest), 200).json();
        assertTrue(Jwt.claims(refreshed.get("access_token").asText()).get("is_anonymous").asBoolean(),
                "still a guest while the link waits");
        JsonNode me = me(realm, refreshed);
        assertTrue(me.get("is_anonymous").asBoolean());
        assertEquals(1, me.get("identities").size(), me.toString());
        assertTrue(me.get("email").isNull(), me.toString());
        assertEquals("confirmation_required", passwordGrant(realm, email, "fay-password").error());

        expect(confirm(realm, Mailbox.link(mailbox.await(email, 1).get(0))), 200);
        JsonNode upgraded = expect(refresh(realm, refreshed), 200).json();
        assertFalse(Jwt.claims(upgraded.get("access_token").asText()).get("is_anonymous").asBoolean(true));
        JsonNode after = me(realm, upgraded);
        assertEquals(2, after.get("identities").size(), after.toString());
        assertTrue(after.get("email_verified").asBoolean());
        assertEquals(Jwt.claims(guest.get("access_token").asText()).get("sub").asText(),
                Jwt.claims(expect(passwordGrant(realm, email, "fay-password"), 200).json().get("access_token").asText())
                        .get("sub").asText());
    }

    @Test
    void twoPendingLinksOfOneAddressTheFirstToConfirmWins() throws Exception {
        TestRealm realm = realm("claims-links", "email", Map.of());
        JsonNode first = guest(realm);
        JsonNode second = guest(realm);
        String email = unique("gus");
        expect(linkEmail(realm, first, email, "first-password"), 202);
        String firstLink = Mailbox.link(mailbox.await(email, 1).get(0));
        expect(linkEmail(realm, second, email, "second-password"), 202);
        String secondLink = Mailbox.link(mailbox.await(email, 2).get(1));

        expect(confirm(realm, secondLink, "second-password"), 200);
        ApiResponse late = confirm(realm, firstLink);
        assertEquals(409, late.status(), late.toString());
        assertEquals("identity_in_use", late.error());

        String firstId = Jwt.claims(first.get("access_token").asText()).get("sub").asText();
        Eventually.await("the loser's claim is dropped", Duration.ofSeconds(20), () -> Database.count(
                "SELECT COUNT(*) FROM APP_USERS_EMAIL_TOKEN WHERE USER_ID = ?", firstId) == 0);
        JsonNode loser = me(realm, expect(refresh(realm, first), 200).json());
        assertTrue(loser.get("is_anonymous").asBoolean(), "the losing guest is kept, as a guest");
        assertEquals(1, loser.get("identities").size());
        JsonNode winner = me(realm, expect(refresh(realm, second), 200).json());
        assertEquals(email, winner.get("email").asText());
        assertEquals(Jwt.claims(second.get("access_token").asText()).get("sub").asText(),
                Jwt.claims(expect(passwordGrant(realm, email, "second-password"), 200).json().get("access_token")
                        .asText()).get("sub").asText());
        assertEquals("invalid_grant", passwordGrant(realm, email, "first-password").error());
    }

    @Test
    void aResetThroughTheEmailedLinkVerifiesTheAddressEndsTheSquattersSessionAndTellsTheAdmin() throws Exception {
        TestRealm realm = realm("claims-reset", "auto", map("adminEventsEnabled", true,
                "adminEventsDetailsEnabled", true));
        // A guest links Hana's address in auto mode: it owns the address, unverified.
        JsonNode squatter = guest(realm);
        String squatterId = Jwt.claims(squatter.get("access_token").asText()).get("sub").asText();
        String email = unique("hana");
        expect(linkEmail(realm, squatter, email, "squatter-password"), 201);
        assertFalse(me(realm, squatter).get("email_verified").asBoolean());
        expect(register(realm, email, "hana-password"), 202); // a confirmed owner: nothing happens

        expect(realm.api().postJson(base(realm) + "/reset/send", null, map("email", email)), 202);
        String link = Mailbox.link(mailbox.await(email, 1).get(0));
        expect(realm.api().postJson(base(realm) + "/reset", null, map("token", Mailbox.param(link, "token"),
                "token_id", Mailbox.param(link, "token_id"), "password", "hana-new-password")), 200);

        assertEquals(400, refresh(realm, squatter).status(), "the squatter's session has ended");
        assertEquals("invalid_grant", passwordGrant(realm, email, "squatter-password").error());
        JsonNode hana = expect(passwordGrant(realm, email, "hana-new-password"), 200).json();
        assertTrue(emailVerifiedClaim(hana));

        JsonNode adminEvents = expect(realm.admin().get(realm.adminPath(
                "/admin-events?operationTypes=ACTION&resourceTypes=USER")), 200).json();
        JsonNode report = null;
        for (JsonNode event : adminEvents) {
            if (("users/" + squatterId + "/email-verified-by-reset").equals(event.path("resourcePath").asText())) {
                report = event;
            }
        }
        assertTrue(report != null, adminEvents.toString());
        assertEquals(squatterId, report.at("/authDetails/userId").asText());
        JsonNode representation = Api.JSON.readTree(report.get("representation").asText());
        assertEquals(email, representation.get("email").asText());
        assertEquals(1, representation.get("sessions_ended").asInt());
        assertEquals(1, representation.get("identities").size(), representation.toString());
        assertEquals("anon-user", representation.at("/identities/0/provider_type").asText());

        JsonNode resets = expect(realm.admin().get(realm.adminPath("/events?type=RESET_PASSWORD&user=" + squatterId)),
                200).json();
        assertEquals(1, resets.size(), resets.toString());
        assertEquals("true", resets.get(0).at("/details/email_verified_by_reset").asText());
        assertTrue(resets.get(0).at("/details/unverified_identities").asText().startsWith("anon-user:"),
                resets.toString());
        assertEquals("1", resets.get(0).at("/details/sessions_ended").asText());
    }

    @Test
    void aResetLinkOfAClaimOnlyAddressConfirmsThatClaim() throws Exception {
        TestRealm realm = realm("claims-reset-claim", "email", Map.of());
        String email = unique("ida");
        expect(register(realm, email, "ida-password"), 202);
        mailbox.await(email, 1);
        expect(realm.api().postJson(base(realm) + "/reset/send", null, map("email", email)), 202);
        String link = Mailbox.link(mailbox.await(email, 2).get(1));
        assertTrue(link.contains("/reset-page?"), link);
        expect(realm.api().postJson(base(realm) + "/reset", null, map("token", Mailbox.param(link, "token"),
                "token_id", Mailbox.param(link, "token_id"), "password", "ida-new-password")), 200);
        JsonNode tokens = expect(passwordGrant(realm, email, "ida-new-password"), 200).json();
        assertTrue(emailVerifiedClaim(tokens));
        assertEquals("local-userpass", me(realm, tokens).at("/identities/0/provider_type").asText());
    }

    @Test
    void aContestedAddressGetsNoResetLinkAndAnEarlierLinkConfirmsNothing() throws Exception {
        TestRealm realm = realm("claims-reset-contested", "email", Map.of());
        String email = unique("lea");
        // Lea registers and asks for a reset link (one claim: it is sent); then a stranger registers her address.
        expect(register(realm, email, "lea-password"), 202);
        String leaConfirm = Mailbox.link(mailbox.await(email, 1).get(0));
        expect(realm.api().postJson(base(realm) + "/reset/send", null, map("email", email)), 202);
        String earlyReset = Mailbox.link(mailbox.await(email, 2).get(1));
        assertTrue(earlyReset.contains("/reset-page?"), earlyReset);
        expect(register(realm, email, "stranger-password"), 202);
        mailbox.await(email, 3);

        // Contested now: a reset link could be the stranger's claim, so none goes out (the same 202) ...
        expect(realm.api().postJson(base(realm) + "/reset/send", null, map("email", email)), 202);
        JsonNode refusals = expect(realm.admin().get(realm.adminPath("/events?type=SEND_RESET_PASSWORD_ERROR")), 200)
                .json();
        assertEquals(2, java.util.stream.StreamSupport.stream(refusals.spliterator(), false)
                .filter(event -> "other registrations claim the address".equals(event.at("/details/reason").asText()))
                .count(), refusals.toString());
        // ... and the link sent before the rival claim confirms nothing and sets no password.
        ApiResponse late = realm.api().postJson(base(realm) + "/reset", null, map("token",
                Mailbox.param(earlyReset, "token"), "token_id", Mailbox.param(earlyReset, "token_id"),
                "password", "lea-new-password"));
        assertEquals(400, late.status(), late.toString());
        assertEquals("password_required", late.error());
        assertEquals("invalid_grant", passwordGrant(realm, email, "lea-new-password").error(), "no password was set");
        assertEquals("confirmation_required", passwordGrant(realm, email, "lea-password").error());

        // Her confirmation with her own password decides.
        expect(confirm(realm, leaConfirm, "lea-password"), 200);
        assertTrue(emailVerifiedClaim(expect(passwordGrant(realm, email, "lea-password"), 200).json()));
        assertEquals("invalid_grant", passwordGrant(realm, email, "stranger-password").error());
    }
}
