package io.github.appusers.emailpassword;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.Database;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Mailbox;
import io.github.appusers.testsupport.TestRealm;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Registration, confirmation by email, resend and reset, with a real SMTP server. */
class EmailPasswordIT extends IntegrationTest {

    static Mailbox mailbox;
    private static TestRealm realm;

    @BeforeAll
    static void setUp() throws Exception {
        mailbox = new Mailbox();
        realm = emailRealm("email", map("enabled", true, "resend_cooldown_seconds", 2));
    }

    @AfterAll
    static void tearDown() {
        mailbox.close();
    }

    static TestRealm emailRealm(String prefix, Map<String, Object> emailPassword) {
        return TestRealm.create(prefix, map("email_password", emailPassword), map("smtpServer", mailbox.smtpSettings(),
                "resetPasswordAllowed", true)).relaxUserProfile();
    }

    static String base(TestRealm realm) {
        return realm.path("/app-users/email-password");
    }

    static ApiResponse register(TestRealm realm, String email, String password) {
        return realm.api().postJson(base(realm) + "/register", null, map("email", email, "password", password));
    }

    static ApiResponse passwordGrant(TestRealm realm, String username, String password) {
        return realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", "password",
                "client_id", TestRealm.APP_CLIENT, "username", username, "password", password));
    }

    static ApiResponse confirmWith(TestRealm realm, String link) {
        return expect(realm.api().postJson(base(realm) + "/confirm", null, map("token", Mailbox.param(link, "token"),
                "token_id", Mailbox.param(link, "token_id"))), 200);
    }

    private static String unique(String name) {
        return name + "-" + System.nanoTime() + "@example.test";
    }

    @Test
    void aRegistrationStaysPendingUntilTheEmailedLinkIsUsedOnce() throws Exception {
        String email = unique("lena");
        ApiResponse registered = expect(register(realm, email, "lena-password"), 202);
        assertEquals("accepted", registered.json().get("status").asText());

        MimeMessage message = mailbox.await(email, 1).get(0);
        String link = Mailbox.link(message);
        assertTrue(link.contains("/realms/" + realm.name() + "/app-users/email-password/confirm-page?"), link);

        ApiResponse pending = passwordGrant(realm, email, "lena-password");
        assertEquals(400, pending.status());
        assertEquals("confirmation_required", pending.error());
        // Without the password nothing tells the account is pending: as for any wrong password.
        ApiResponse wrongPassword = passwordGrant(realm, email, "not-her-password");
        ApiResponse wrongForConfirmed = passwordGrant(realm, "vera-nobody", "not-her-password");
        assertEquals("invalid_grant", wrongPassword.error());
        assertEquals(wrongForConfirmed.status(), wrongPassword.status());
        assertEquals(wrongForConfirmed.body(), wrongPassword.body());

        expect(realm.api().postJson(base(realm) + "/confirm", null, map("token", Mailbox.param(link, "token"),
                "token_id", Mailbox.param(link, "token_id"))), 200);
        JsonNode tokens = expect(passwordGrant(realm, email, "lena-password"), 200).json();
        JsonNode me = expect(realm.api().get(realm.path("/app-users/me"), tokens.get("access_token").asText()), 200)
                .json();
        assertTrue(me.get("email_verified").asBoolean());
        assertEquals("local-userpass", me.at("/identities/0/provider_type").asText());
        assertEquals(email, me.at("/identities/0/id").asText());

        ApiResponse reused = realm.api().postJson(base(realm) + "/confirm", null, map("token",
                Mailbox.param(link, "token"), "token_id", Mailbox.param(link, "token_id")));
        assertEquals(400, reused.status());
        assertEquals("invalid_token", reused.error());
        assertEquals(0, Database.count("SELECT COUNT(*) FROM APP_USERS_EMAIL_TOKEN WHERE TOKEN_HASH = ?",
                Mailbox.param(link, "token")), "tokens are stored hashed");
    }

    @Test
    void registeringAConfirmedAddressAnswersTheSameAndSendsNothing() throws Exception {
        String email = unique("mia");
        ApiResponse first = expect(register(realm, email, "mia-password"), 202);
        confirmWith(realm, Mailbox.link(mailbox.await(email, 1).get(0)));
        ApiResponse second = register(realm, email, "other-password");
        assertEquals(first.status(), second.status());
        assertEquals(first.body(), second.body());
        // A confirmation email carries the link of a token issued in its request: none was.
        assertEquals(0, Database.count("SELECT COUNT(*) FROM APP_USERS_EMAIL_TOKEN WHERE EMAIL = ?", email),
                "the second registration claimed nothing");
        // And a reset email asked for afterwards is the owner's second email, not the third.
        expect(realm.api().postJson(base(realm) + "/reset/send", null, map("email", email)), 202);
        List<MimeMessage> messages = mailbox.await(email, 2);
        assertEquals(2, messages.size(), "the owner gets no confirmation email for the second registration");
        assertTrue(Mailbox.link(messages.get(1)).contains("/reset-page?"), Mailbox.link(messages.get(1)));
        assertEquals("invalid_grant", passwordGrant(realm, email, "other-password").error(),
                "the second password was not stored");
    }

    @Test
    void aResendInvalidatesTheEarlierLinkAndIsRateLimitedPerAddress() throws Exception {
        String email = unique("noor");
        expect(register(realm, email, "noor-password"), 202);
        String firstLink = Mailbox.link(mailbox.await(email, 1).get(0));
        // The registration's own email starts no cooldown: the first resend goes at once.
        expect(realm.api().postJson(base(realm) + "/confirm/resend", null, map("email", email)), 202);
        String secondLink = Mailbox.link(mailbox.await(email, 2).get(1));
        ApiResponse cooled = realm.api().postJson(base(realm) + "/confirm/resend", null, map("email", email));
        assertEquals(429, cooled.status());
        assertEquals("rate_limited", cooled.error());

        ApiResponse old = realm.api().postJson(base(realm) + "/confirm", null, map("token",
                Mailbox.param(firstLink, "token"), "token_id", Mailbox.param(firstLink, "token_id")));
        assertEquals("invalid_token", old.error());
        expect(realm.api().postJson(base(realm) + "/confirm", null, map("token", Mailbox.param(secondLink, "token"),
                "token_id", Mailbox.param(secondLink, "token_id"))), 200);
        expect(passwordGrant(realm, email, "noor-password"), 200);
    }

    @Test
    void aRefusingMailServerChangesNoAnswerAndAResendDeliversOnceItIsBack() throws Exception {
        Map<String, Object> refusing = new java.util.HashMap<>(mailbox.smtpSettings());
        refusing.put("port", String.valueOf(io.github.appusers.testsupport.KeycloakServer.freePort()));
        // No resend cooldown here (0 turns it off): this test is about the mail server, and resends twice.
        TestRealm down = TestRealm.create("email-smtp-down", map("email_password", map("enabled", true,
                "resend_cooldown_seconds", 0)), map("smtpServer", refusing)).relaxUserProfile();
        String email = unique("rui");

        ApiResponse registered = expect(register(down, email, "rui-password"), 202);
        assertEquals(expect(register(realm, unique("other"), "other-password"), 202).body(), registered.body(),
                "the answer does not depend on the mail server");
        assertEquals("confirmation_required", passwordGrant(down, email, "rui-password").error(),
                "the registration is kept, pending");
        expect(down.api().postJson(base(down) + "/confirm/resend", null, map("email", email)), 202);

        expect(down.admin().put(down.adminPath(""), map("smtpServer", mailbox.smtpSettings())), 204);
        expect(down.api().postJson(base(down) + "/confirm/resend", null, map("email", email)), 202);
        String link = Mailbox.link(mailbox.await(email, 1).get(0));
        expect(down.api().postJson(base(down) + "/confirm", null, map("token", Mailbox.param(link, "token"),
                "token_id", Mailbox.param(link, "token_id"))), 200);
        expect(passwordGrant(down, email, "rui-password"), 200);
    }

    @Test
    void unknownAddressesGetTheSameAnswersAsKnownOnes() throws Exception {
        String known = unique("omar");
        expect(register(realm, known, "omar-password"), 202);
        mailbox.await(known, 1);
        String unknown = unique("nobody");
        ApiResponse forKnown = realm.api().postJson(base(realm) + "/confirm/resend", null, map("email", known));
        ApiResponse forUnknown = realm.api().postJson(base(realm) + "/confirm/resend", null, map("email", unknown));
        assertEquals(forKnown.status(), forUnknown.status());
        assertEquals(forKnown.body(), forUnknown.body());
        ApiResponse resetKnown = realm.api().postJson(base(realm) + "/reset/send", null, map("email", unique("x")));
        assertEquals(202, resetKnown.status());
        assertEquals(0, mailbox.to(unknown).size());
    }

    @Test
    void anExpiredLinkIsRefused() throws Exception {
        String email = unique("pia");
        expect(register(realm, email, "pia-password"), 202);
        String link = Mailbox.link(mailbox.await(email, 1).get(0));
        assertEquals(1, Database.update("UPDATE APP_USERS_EMAIL_TOKEN SET EXPIRES_AT = ? WHERE ID = ?",
                System.currentTimeMillis() - 1000, Mailbox.param(link, "token_id")));
        ApiResponse expired = realm.api().postJson(base(realm) + "/confirm", null, map("token",
                Mailbox.param(link, "token"), "token_id", Mailbox.param(link, "token_id")));
        assertEquals(400, expired.status());
        assertEquals("token_expired", expired.error());
        assertEquals("confirmation_required", passwordGrant(realm, email, "pia-password").error());
    }

    @Test
    void theRealmsConfirmationUrlIsUsedInTheLink() throws Exception {
        TestRealm withUrl = emailRealm("email-url", map("enabled", true, "confirmation_url",
                "https://app.example.test/confirm?src=mail"));
        String email = unique("quinn");
        expect(register(withUrl, email, "quinn-password"), 202);
        String link = Mailbox.link(mailbox.await(email, 1).get(0));
        assertTrue(link.startsWith("https://app.example.test/confirm?src=mail&token="), link);
    }

    @Test
    void automaticConfirmationLetsTheUserInAtOnce() {
        TestRealm auto = emailRealm("email-auto", map("enabled", true, "confirmation", "auto"));
        String email = unique("rita");
        expect(register(auto, email, "rita-password"), 202);
        expect(passwordGrant(auto, email, "rita-password"), 200);
    }

    @Test
    void aResetLinkSetsANewPasswordAndEndsOtherSessions() throws Exception {
        TestRealm auto = emailRealm("email-reset", map("enabled", true, "confirmation", "auto"));
        String email = unique("sam");
        expect(register(auto, email, "sam-password"), 202);
        JsonNode session = expect(passwordGrant(auto, email, "sam-password"), 200).json();

        expect(auto.api().postJson(base(auto) + "/reset/send", null, map("email", email)), 202);
        String link = Mailbox.link(mailbox.await(email, 1).get(0));
        ApiResponse weak = auto.api().postJson(base(auto) + "/reset", null, map("token", Mailbox.param(link, "token"),
                "token_id", Mailbox.param(link, "token_id"), "password", "123"));
        assertEquals(400, weak.status());
        assertEquals("invalid_password", weak.error());
        expect(auto.api().postJson(base(auto) + "/reset", null, map("token", Mailbox.param(link, "token"),
                "token_id", Mailbox.param(link, "token_id"), "password", "sam-new-password")), 200);

        assertEquals("invalid_grant", passwordGrant(auto, email, "sam-password").error());
        expect(passwordGrant(auto, email, "sam-new-password"), 200);
        ApiResponse refresh = auto.api().postForm(auto.tokenEndpoint(), null, Api.form("grant_type", "refresh_token",
                "client_id", TestRealm.APP_CLIENT, "refresh_token", session.get("refresh_token").asText()));
        assertEquals(400, refresh.status(), "the session from before the reset has ended");
        assertEquals("invalid_token", auto.api().postJson(base(auto) + "/reset", null, map("token",
                Mailbox.param(link, "token"), "token_id", Mailbox.param(link, "token_id"), "password",
                "another-password")).error());
    }

    @Test
    void adminsListPendingUsersAndConfirmOrReRunByEmail() throws Exception {
        TestRealm admin = emailRealm("email-admin", map("enabled", true));
        String pending = unique("tara");
        String other = unique("uma");
        expect(register(admin, pending, "tara-password"), 202);
        expect(register(admin, other, "uma-password"), 202);
        mailbox.await(pending, 1);

        JsonNode listed = expect(admin.admin().get(admin.adminPath("/app-users/users?status=pending-confirmation")), 200)
                .json();
        assertEquals(2, listed.size());
        assertEquals("pending-confirmation", listed.get(0).get("status").asText());

        expect(admin.admin().post(admin.adminPath("/app-users/registrations/by-email/" + pending + "/run-confirm"), null),
                200);
        mailbox.await(pending, 2);
        expect(admin.admin().post(admin.adminPath("/app-users/registrations/by-email/" + pending + "/confirm"), null),
                200);
        JsonNode after = expect(admin.admin().get(admin.adminPath("/app-users/users?status=pending-first-login")), 200)
                .json();
        assertEquals(1, after.size());
        assertEquals(pending, after.get(0).get("email").asText());
        expect(passwordGrant(admin, pending, "tara-password"), 200);
        assertEquals(1, expect(admin.admin().get(admin.adminPath("/app-users/users?status=confirmed")), 200).json()
                .size());
        assertEquals(409, admin.admin().post(admin.adminPath("/app-users/registrations/by-email/" + pending
                + "/run-confirm"), null).status());
        assertEquals(404, admin.admin().post(admin.adminPath("/app-users/registrations/by-email/"
                + unique("ghost") + "/confirm"), null).status());
        JsonNode stillPending = expect(admin.admin().get(admin.adminPath(
                "/app-users/users?status=pending-confirmation&max=5")), 200).json();
        assertEquals(1, stillPending.size());
        assertEquals(other, stillPending.get(0).get("pending_email").asText(), "the address its registration claims");
        assertEquals(400, admin.admin().get(admin.adminPath("/app-users/users?status=sleeping")).status());
        expect(admin.admin().post(admin.adminPath("/app-users/registrations/by-email/" + other + "/confirm"), null),
                200);
        JsonNode byType = expect(admin.admin().get(admin.adminPath("/app-users/users?provider_type=local-userpass&max=1")),
                200).json();
        assertEquals(1, byType.size(), "paged");
        assertEquals(2, expect(admin.admin().get(admin.adminPath("/app-users/users?provider_type=local-userpass")), 200)
                .json().size());
        assertEquals(0, expect(admin.admin().get(admin.adminPath("/app-users/users?provider_type=api-key")), 200)
                .json().size());
        assertEquals(400, admin.admin().get(admin.adminPath("/app-users/users?provider_type=carrier-pigeon")).status());
    }

    @Test
    void aLinkedEmailPasswordLogsInOnlyAfterConfirmation() throws Exception {
        TestRealm guests = TestRealm.create("email-link", map("anonymous", map("enabled", true),
                "email_password", map("enabled", true)), map("smtpServer", mailbox.smtpSettings())).relaxUserProfile();
        JsonNode tokens = expect(guests.api().postForm(guests.tokenEndpoint(), null, io.github.appusers.testsupport.Api.form(
                "grant_type", "urn:app-users:grant-type:anonymous", "client_id", TestRealm.APP_CLIENT)), 200).json();
        String email = unique("linker");
        expect(guests.api().postJson(guests.path("/app-users/me/identities"), tokens.get("access_token").asText(),
                map("type", "email-password", "email", email, "password", "linker-password")), 202);
        assertEquals("confirmation_required", passwordGrant(guests, email, "linker-password").error());
        String link = Mailbox.link(mailbox.await(email, 1).get(0));
        expect(guests.api().postJson(base(guests) + "/confirm", null, map("token", Mailbox.param(link, "token"),
                "token_id", Mailbox.param(link, "token_id"))), 200);
        JsonNode loggedIn = expect(passwordGrant(guests, email, "linker-password"), 200).json();
        assertEquals(io.github.appusers.testsupport.Jwt.claims(tokens.get("access_token").asText()).get("sub").asText(),
                io.github.appusers.testsupport.Jwt.claims(loggedIn.get("access_token").asText()).get("sub").asText());
    }

    @Test
    void usersCreatedByAnAdminNeedNoConfirmation() {
        TestRealm admin = emailRealm("email-admin-created", map("enabled", true));
        admin.createUser("vera", "vera-password");
        expect(passwordGrant(admin, "vera", "vera-password"), 200);
    }

    @Test
    void theSwitchIsHonoured() {
        TestRealm off = emailRealm("email-off", map("enabled", false));
        ApiResponse refused = register(off, unique("wes"), "wes-password");
        assertEquals(403, refused.status());
        assertEquals("feature_disabled", refused.error());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"email\": \"x@example.test\"}", "{\"email\": 5, \"password\": \"secret1\"}",
            "{\"email\": \"not-an-email\", \"password\": \"secret1\"}", "{\"email\": \"a@example.test\", \"password\": 123456}",
            "{\"email\": ", "[]"})
    void badRegistrationsAreRefusedAndCreateNobody(String body) {
        long before = expect(realm.admin().get(realm.adminPath("/users/count")), 200).json().asLong();
        ApiResponse response = realm.api().send("POST", base(realm) + "/register", null, "application/json", body);
        assertEquals(400, response.status(), response.toString());
        assertEquals("invalid_request", response.error());
        assertEquals(before, expect(realm.admin().get(realm.adminPath("/users/count")), 200).json().asLong());
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345", "x"})
    void passwordsOutsideThePolicyAreRefused(String password) {
        ApiResponse response = register(realm, unique("short"), password);
        assertEquals(400, response.status());
        assertEquals("invalid_password", response.error());
        ApiResponse tooLong = register(realm, unique("long"), "p".repeat(129));
        assertEquals("invalid_password", tooLong.error());
    }
}
