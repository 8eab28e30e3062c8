package io.github.appusers.apikeys;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

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
 * Keycloak's own "Forgot password" flow (its login pages, in Chromium) records no RESET_PASSWORD
 * event of success: the keys of a user who reset the password there must stop working too.
 */
class KeycloakPasswordResetBrowserIT extends IntegrationTest {

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
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> !driver.findElements(element).isEmpty());
    }

    @Test
    void keycloaksForgotPasswordFlowDisablesTheUsersKeys() throws Exception {
        TestRealm realm = TestRealm.create("keys-kc-reset", map("api_keys", map("enabled", true)),
                map("smtpServer", mailbox.smtpSettings(), "resetPasswordAllowed", true));
        realm.createUser("vera", "vera-password");
        String token = realm.passwordLogin("vera", "vera-password").get("access_token").asText();
        String key = expect(realm.api().postJson(realm.path("/app-users/me/api-keys"), token, map("name", "k")), 201)
                .json().get("key").asText();
        expect(ApiKeysIT.keyLogin(realm, key), 200);

        browser.get(realm.api().baseUrl() + realm.path("/protocol/openid-connect/auth") + "?client_id=app"
                + "&redirect_uri=" + TestRealm.REDIRECT_URI + "&response_type=code&scope=openid");
        waitFor(By.linkText("Forgot Password?"));
        browser.findElement(By.linkText("Forgot Password?")).click();
        waitFor(By.id("username"));
        browser.findElement(By.id("username")).sendKeys("vera");
        browser.findElement(By.cssSelector("[type=submit]")).click();
        String link = Mailbox.actionTokenLink(mailbox.await("vera@example.test", 1).get(0));
        browser.get(link);
        waitFor(By.id("password-new"));
        browser.findElement(By.id("password-new")).sendKeys("vera-new-password");
        browser.findElement(By.id("password-confirm")).sendKeys("vera-new-password");
        browser.findElement(By.cssSelector("[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver ->
                driver.getCurrentUrl().startsWith(TestRealm.REDIRECT_URI));

        assertEquals("invalid_grant", ApiKeysIT.keyLogin(realm, key).error(), "the reset disabled the key");
        expect(realm.api().postForm(realm.tokenEndpoint(), null, io.github.appusers.testsupport.Api.form(
                "grant_type", "password", "client_id", TestRealm.APP_CLIENT, "username", "vera",
                "password", "vera-new-password")), 200);
    }
}
