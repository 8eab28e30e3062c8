package io.github.appusers.anonymous;

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
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.Browser;
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

/** Guest login in the browser flow, in real headless Chromium. */
class GuestLoginBrowserIT extends IntegrationTest {

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

    private static TestRealm guestRealm(String prefix, boolean anonymousEnabled) {
        TestRealm realm = TestRealm.create(prefix, map("anonymous", map("enabled", anonymousEnabled),
                "custom_function", map("enabled", true)));
        GuestBrowserFlow.install(realm);
        return realm;
    }

    private static String authorizationUrl(TestRealm realm, String extra) {
        return realm.api().baseUrl() + realm.path("/protocol/openid-connect/auth") + "?client_id=" + TestRealm.APP_CLIENT
                + "&redirect_uri=" + TestRealm.REDIRECT_URI + "&response_type=code&scope=openid" + extra;
    }

    /** Waits for the redirect back to the app and exchanges the code like the app would. */
    private static JsonNode tokensFromRedirect(TestRealm realm) {
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(driver -> driver.getCurrentUrl().startsWith(TestRealm.REDIRECT_URI));
        Map<String, String> query = Arrays.stream(URI.create(browser.getCurrentUrl()).getRawQuery().split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p.length > 1 ? p[1] : "", StandardCharsets.UTF_8)));
        return expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", "authorization_code",
                "client_id", TestRealm.APP_CLIENT, "code", query.get("code"), "redirect_uri", TestRealm.REDIRECT_URI)), 200)
                .json();
    }

    @Test
    void theLoginPageOffersContinueAsGuest() {
        TestRealm realm = guestRealm("browser-guest", true);
        browser.get(authorizationUrl(realm, ""));

        var button = browser.findElement(By.id("app-users-continue-as-guest"));
        assertEquals("Continue as guest", button.getText().trim());
        assertTrue(browser.findElements(By.id("username")).size() == 1, "the password form is still there");
        button.click();

        JsonNode tokens = tokensFromRedirect(realm);
        JsonNode idToken = Jwt.claims(tokens.get("id_token").asText());
        assertTrue(idToken.get("is_anonymous").asBoolean());
        JsonNode me = expect(realm.api().get(realm.path("/app-users/me"), tokens.get("access_token").asText()), 200).json();
        assertTrue(me.get("is_anonymous").asBoolean());
        assertEquals("anon-user", me.at("/identities/0/provider_type").asText());
    }

    @Test
    void anonymousTrueSkipsTheLoginPage() {
        TestRealm realm = guestRealm("browser-skip", true);
        browser.get(authorizationUrl(realm, "&anonymous=true"));
        JsonNode tokens = tokensFromRedirect(realm);
        assertTrue(Jwt.claims(tokens.get("access_token").asText()).get("is_anonymous").asBoolean());
        assertEquals(1, AnonymousGrantIT.userCount(realm));
    }

    @Test
    void passwordLoginStillWorksOnTheSamePage() {
        TestRealm realm = guestRealm("browser-password", true);
        realm.createUser("ivy", "ivy-password");
        browser.get(authorizationUrl(realm, ""));
        browser.findElement(By.id("username")).sendKeys("ivy");
        browser.findElement(By.id("password")).sendKeys("ivy-password");
        browser.findElement(By.id("kc-login")).click();
        JsonNode tokens = tokensFromRedirect(realm);
        assertFalse(Jwt.claims(tokens.get("access_token").asText()).get("is_anonymous").asBoolean(true));
        assertEquals(1, AnonymousGrantIT.userCount(realm));
    }

    @Test
    void withAnonymousUsersOffThereIsNoGuestButtonAndTheParameterIsIgnored() {
        TestRealm realm = guestRealm("browser-off", false);
        browser.get(authorizationUrl(realm, "&anonymous=true"));
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> !driver.findElements(By.id("username")).isEmpty());
        assertTrue(browser.findElements(By.id("app-users-continue-as-guest")).isEmpty());
        assertEquals(0, AnonymousGrantIT.userCount(realm));
    }

    @Test
    void theGuestButtonRespectsTheRateLimit() {
        TestRealm realm = TestRealm.create("browser-rate", map("anonymous", map("enabled", true,
                "max_per_ip_per_hour", 1)));
        GuestBrowserFlow.install(realm);
        // The browser may reach "localhost" over IPv6, so the first sign-up comes from the browser too.
        browser.get(authorizationUrl(realm, ""));
        browser.findElement(By.id("app-users-continue-as-guest")).click();
        tokensFromRedirect(realm);
        // Forget the first guest's SSO session (its cookies are scoped to the realm's path).
        browser.get(realm.api().baseUrl() + realm.path("/"));
        browser.manage().deleteAllCookies();
        browser.get(authorizationUrl(realm, ""));
        browser.findElement(By.id("app-users-continue-as-guest")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(driver -> driver.getPageSource().contains("Too many guest sign-ups"));
        assertFalse(browser.getCurrentUrl().startsWith(TestRealm.REDIRECT_URI));
        assertEquals(1, AnonymousGrantIT.userCount(realm));
    }
}
