package io.github.appusers.emailpassword;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Browser;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Mailbox;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A first login through an identity provider (a second realm of the same server, in Chromium)
 * makes Keycloak emit {@code REGISTER} too; in a realm with email/password on, its user signed up
 * elsewhere and gets no {@code local-userpass} identity, no confirmation and no verified flag from us.
 */
class BrokeredRegistrationBrowserIT extends IntegrationTest {

    private static Mailbox mailbox;
    private static WebDriver browser;

    @BeforeAll
    static void setUp() throws Exception {
        mailbox = new Mailbox();
        browser = Browser.start();
    }

    @AfterAll
    static void tearDown() {
        if (browser != null) {
            browser.quit();
        }
        mailbox.close();
    }

    private static void waitFor(By element) {
        try {
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> !driver.findElements(element).isEmpty());
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("waited for " + element + " on: " + browser.getPageSource(), e);
        }
    }

    @Test
    void aBrokeredFirstLoginGetsNoPasswordIdentityAndNoConfirmation() throws Exception {
        TestRealm upstream = TestRealm.create("claims-upstream", null);
        String username = "idp-" + System.nanoTime();
        upstream.createUser(username, "idp-password");
        String email = username + "@example.test";
        String base = upstream.api().baseUrl() + upstream.path("");
        expect(upstream.admin().post(upstream.adminPath("/clients"), map("clientId", "upstream-broker",
                "publicClient", false, "secret", "broker-secret", "redirectUris", List.of("*"),
                "standardFlowEnabled", true)), 201);

        TestRealm realm = TestRealm.create("claims-brokered", map("email_password", map("enabled", true,
                "confirmation", "email")), map("smtpServer", mailbox.smtpSettings())).relaxUserProfile();
        expect(realm.admin().post(realm.adminPath("/identity-provider/instances"), map("alias", "upstream",
                "providerId", "keycloak-oidc", "enabled", true, "config", map("clientId", "upstream-broker",
                        "clientSecret", "broker-secret", "clientAuthMethod", "client_secret_post",
                        "authorizationUrl", base + "/protocol/openid-connect/auth",
                        "tokenUrl", base + "/protocol/openid-connect/token",
                        "userInfoUrl", base + "/protocol/openid-connect/userinfo",
                        "jwksUrl", base + "/protocol/openid-connect/certs", "useJwksUrl", "true",
                        "validateSignature", "true", "issuer", base, "syncMode", "IMPORT", "defaultScope", "openid"))), 201);

        browser.manage().deleteAllCookies();
        browser.get(realm.api().baseUrl() + realm.path("/protocol/openid-connect/auth") + "?client_id="
                + TestRealm.APP_CLIENT + "&redirect_uri=" + TestRealm.REDIRECT_URI
                + "&response_type=code&scope=openid&kc_idp_hint=upstream");
        waitFor(By.id("username"));
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys("idp-password");
        browser.findElement(By.id("kc-login")).click();
        try {
            new WebDriverWait(browser, Duration.ofSeconds(30))
                    .until(driver -> driver.getCurrentUrl().startsWith(TestRealm.REDIRECT_URI));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the brokered login did not reach the app: " + browser.getPageSource(), e);
        }
        assertTrue(browser.getCurrentUrl().contains("code="), browser.getCurrentUrl());

        JsonNode users = expect(realm.admin().get(realm.adminPath("/users?email=" + email)), 200).json();
        assertEquals(1, users.size(), users.toString());
        JsonNode user = users.get(0);
        JsonNode registered = expect(realm.admin().get(realm.adminPath("/events?type=REGISTER&user="
                + user.get("id").asText())), 200).json();
        assertEquals("broker", registered.get(0).at("/details/register_method").asText(), registered.toString());

        assertFalse(user.get("emailVerified").asBoolean(), "the identity provider's address was not verified here");
        assertEquals(0, user.get("requiredActions").size(), user.toString());
        JsonNode identities = expect(realm.admin().get(realm.adminPath("/app-users/users/" + user.get("id").asText()
                + "/identities")), 200).json();
        assertEquals(1, identities.size(), identities.toString());
        assertEquals("oauth2-upstream", identities.get(0).get("provider_type").asText());
        assertEquals(0, mailbox.to(email).size(), "no confirmation email");
    }
}
