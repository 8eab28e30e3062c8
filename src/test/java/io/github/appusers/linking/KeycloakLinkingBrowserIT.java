package io.github.appusers.linking;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.Browser;
import io.github.appusers.testsupport.Database;
import io.github.appusers.testsupport.GuestBrowserFlow;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Keycloak's own account actions with app users, in Chromium: client-initiated linking of a
 * brokered identity (a second realm as the identity provider) upgrades a guest, and Keycloak's
 * delete-account action removes our data with the user.
 */
class KeycloakLinkingBrowserIT extends IntegrationTest {

    private static WebDriver browser;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void freshCookies() {
        browser.manage().deleteAllCookies();
    }

    private static String authUrl(TestRealm realm, String extra) {
        return realm.api().baseUrl() + realm.path("/protocol/openid-connect/auth") + "?client_id=" + TestRealm.APP_CLIENT
                + "&redirect_uri=" + TestRealm.REDIRECT_URI + "&response_type=code&scope=openid" + extra;
    }

    private static void waitFor(By element) {
        try {
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> !driver.findElements(element).isEmpty());
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("waited for " + element + " on: " + browser.getPageSource(), e);
        }
    }

    private static Map<String, String> redirectQuery() {
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(driver -> driver.getCurrentUrl().startsWith(TestRealm.REDIRECT_URI));
        return Arrays.stream(URI.create(browser.getCurrentUrl()).getRawQuery().split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p.length > 1 ? p[1] : "", StandardCharsets.UTF_8)));
    }

    private static JsonNode exchange(TestRealm realm, String code) {
        return expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", "authorization_code",
                "client_id", TestRealm.APP_CLIENT, "code", code, "redirect_uri", TestRealm.REDIRECT_URI)), 200).json();
    }

    private static JsonNode guestInBrowser(TestRealm realm) {
        browser.get(authUrl(realm, "&anonymous=true"));
        return exchange(realm, redirectQuery().get("code"));
    }

    @Test
    void linkingABrokeredIdentityUpgradesTheGuest() {
        TestRealm upstream = TestRealm.create("upstream-idp", null);
        upstream.createUser("idp-user", "idp-password");
        String base = upstream.api().baseUrl() + upstream.path("");
        expect(upstream.admin().post(upstream.adminPath("/clients"), map("clientId", "upstream-broker", "publicClient", false,
                "secret", "broker-secret", "redirectUris", List.of("*"), "standardFlowEnabled", true)), 201);

        TestRealm realm = TestRealm.create("broker-link", map("anonymous", map("enabled", true)));
        GuestBrowserFlow.install(realm);
        expect(realm.admin().post(realm.adminPath("/identity-provider/instances"), map("alias", "upstream",
                "providerId", "keycloak-oidc", "enabled", true, "config", map("clientId", "upstream-broker",
                        "clientSecret", "broker-secret", "clientAuthMethod", "client_secret_post",
                        "authorizationUrl", base + "/protocol/openid-connect/auth",
                        "tokenUrl", base + "/protocol/openid-connect/token",
                        "userInfoUrl", base + "/protocol/openid-connect/userinfo",
                        "jwksUrl", base + "/protocol/openid-connect/certs", "useJwksUrl", "true",
                        "validateSignature", "true", "issuer", base, "syncMode", "IMPORT", "defaultScope", "openid"))), 201);

        JsonNode guest = guestInBrowser(realm);
        String guestId = Jwt.claims(guest.get("access_token").asText()).get("sub").asText();
        assertTrue(Jwt.claims(guest.get("access_token").asText()).get("is_anonymous").asBoolean());

        browser.get(authUrl(realm, "&kc_action=idp_link:upstream"));
        // Keycloak asks the user to confirm the link, then sends it to the identity provider's login.
        waitFor(By.id("kc-continue"));
        browser.findElement(By.id("kc-continue")).click();
        waitFor(By.id("username"));
        browser.findElement(By.id("username")).sendKeys("idp-user");
        browser.findElement(By.id("password")).sendKeys("idp-password");
        browser.findElement(By.id("kc-login")).click();
        Map<String, String> query = redirectQuery();
        assertEquals("success", query.get("kc_action_status"), query.toString());

        JsonNode linked = exchange(realm, query.get("code"));
        JsonNode access = Jwt.claims(linked.get("access_token").asText());
        assertEquals(guestId, access.get("sub").asText(), "the same user, upgraded");
        assertFalse(access.get("is_anonymous").asBoolean(true));
        JsonNode me = expect(realm.api().get(realm.path("/app-users/me"), linked.get("access_token").asText()), 200).json();
        assertFalse(me.get("is_anonymous").asBoolean(true));
        assertTrue(me.get("identities").toString().contains("\"oauth2-upstream\""), me.toString());
    }

    @Test
    void keycloaksDeleteAccountActionRemovesOurDataToo() {
        TestRealm realm = TestRealm.create("delete-action", map("custom_function", map("enabled", true),
                "custom_data", map("user_writable", true)));
        JsonNode action = expect(realm.admin().get(realm.adminPath("/authentication/required-actions/delete_account")), 200)
                .json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) action).put("enabled", true);
        expect(realm.admin().put(realm.adminPath("/authentication/required-actions/delete_account"), action), 204);

        String id = realm.createUser("dora", "dora-password");
        expect(realm.admin().post(realm.adminPath("/app-users/users/" + id + "/identities"),
                map("provider_type", "custom-function", "id", "dora-ext")), 201);
        expect(realm.admin().put(realm.adminPath("/app-users/users/" + id + "/custom-data"), map("keep", "me")), 200);
        String accountClient = expect(realm.admin().get(realm.adminPath("/clients?clientId=account")), 200).json().get(0)
                .get("id").asText();
        JsonNode deleteRole = expect(realm.admin().get(realm.adminPath("/clients/" + accountClient
                + "/roles/delete-account")), 200).json();
        expect(realm.admin().post(realm.adminPath("/users/" + id + "/role-mappings/clients/" + accountClient),
                List.of(deleteRole)), 204);

        browser.get(authUrl(realm, ""));
        waitFor(By.id("username"));
        browser.findElement(By.id("username")).sendKeys("dora");
        browser.findElement(By.id("password")).sendKeys("dora-password");
        browser.findElement(By.id("kc-login")).click();
        redirectQuery();

        browser.get(authUrl(realm, "&kc_action=delete_account"));
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> !driver.findElements(By.id("kc-submit")).isEmpty()
                || !driver.findElements(By.id("password")).isEmpty());
        if (!browser.findElements(By.id("password")).isEmpty()) {
            // Keycloak may ask for the password again before deleting (its re-authentication for AIA).
            browser.findElement(By.id("password")).sendKeys("dora-password");
            browser.findElement(By.id("kc-login")).click();
        }
        waitFor(By.id("kc-submit"));
        browser.findElement(By.id("kc-submit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(driver -> realm.admin().get(realm.adminPath("/users/" + id)).status() == 404);
        assertEquals(0, Database.count("SELECT COUNT(*) FROM APP_USERS_IDENTITY WHERE USER_ID = ?", id));
        assertEquals(0, Database.count("SELECT COUNT(*) FROM APP_USERS_CUSTOM_DATA WHERE USER_ID = ?", id));
    }
}
