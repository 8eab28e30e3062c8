package io.github.appusers.emailpassword;

import static io.github.appusers.emailpassword.EmailPasswordIT.base;
import static io.github.appusers.emailpassword.EmailPasswordIT.passwordGrant;
import static io.github.appusers.emailpassword.EmailPasswordIT.register;
import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Keycloak's registration page, the pending page with resend, and the confirm and reset pages, in Chromium. */
class EmailPasswordBrowserIT extends IntegrationTest {

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

    private static TestRealm browserRealm(String prefix, String confirmation) {
        return TestRealm.create(prefix, map("email_password", map("enabled", true, "confirmation", confirmation,
                "resend_cooldown_seconds", 0)), map("smtpServer", mailbox.smtpSettings(), "registrationAllowed", true,
                "registrationEmailAsUsername", true, "loginTheme", "app-users", "resetPasswordAllowed", true))
                .relaxUserProfile();
    }

    private static void waitFor(By element) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> !driver.findElements(element).isEmpty());
    }

    private static void waitForText(String text) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> driver.getPageSource().contains(text));
    }

    @Test
    void keycloaksRegistrationPageLeadsToThePendingPageWithResendThenTheLinkConfirms() throws Exception {
        TestRealm realm = browserRealm("browser-register", "email");
        String email = "hugo-" + System.nanoTime() + "@example.test";
        browser.get(realm.api().baseUrl() + realm.path("/protocol/openid-connect/auth") + "?client_id=app"
                + "&redirect_uri=" + TestRealm.REDIRECT_URI + "&response_type=code&scope=openid");
        waitFor(By.linkText("Register"));
        browser.findElement(By.linkText("Register")).click();
        waitFor(By.id("password-confirm"));
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("password")).sendKeys("hugo-password");
        browser.findElement(By.id("password-confirm")).sendKeys("hugo-password");
        browser.findElement(By.cssSelector("[type=submit]")).click();

        waitFor(By.id("app-users-pending-text"));
        assertTrue(browser.findElement(By.id("app-users-pending-text")).getText().contains(email));
        mailbox.await(email, 1);
        browser.findElement(By.id("app-users-resend")).click();
        waitForText("A new confirmation email is on its way.");
        String link = Mailbox.link(mailbox.await(email, 2).get(1));
        assertEquals("confirmation_required", passwordGrant(realm, email, "hugo-password").error());

        // "I have confirmed" without confirming keeps the user on the page.
        browser.findElement(By.id("app-users-continue")).click();
        waitForText("not confirmed yet");

        browser.get(link);
        waitFor(By.id("app-users-confirm-button"));
        browser.findElement(By.id("app-users-confirm-button")).click();
        waitForText("Your email address is confirmed.");
        expect(passwordGrant(realm, email, "hugo-password"), 200);

        browser.get(link);
        browser.findElement(By.id("app-users-confirm-button")).click();
        waitForText("This link is invalid or was already used.");
    }

    @Test
    void theConfirmPageAsksForThePasswordWhenOtherRegistrationsClaimTheAddress() throws Exception {
        TestRealm realm = browserRealm("browser-contested", "email");
        String email = "jo-" + System.nanoTime() + "@example.test";
        expect(register(realm, email, "stranger-password"), 202);
        mailbox.await(email, 1);
        expect(register(realm, email, "jo-password"), 202);
        String link = Mailbox.link(mailbox.await(email, 2).get(1));

        browser.get(link);
        waitFor(By.id("app-users-confirm-button"));
        assertTrue(browser.findElements(By.id("password")).isEmpty(), "no password field until it is needed");
        browser.findElement(By.id("app-users-confirm-button")).click();
        waitForText("More than one registration is waiting for this email address.");
        browser.findElement(By.id("password")).sendKeys("stranger-password");
        browser.findElement(By.id("app-users-confirm-button")).click();
        waitForText("This is not the password of this registration.");
        assertEquals("confirmation_required", passwordGrant(realm, email, "jo-password").error());

        browser.findElement(By.id("password")).sendKeys("jo-password");
        browser.findElement(By.id("app-users-confirm-button")).click();
        waitForText("Your email address is confirmed.");
        expect(passwordGrant(realm, email, "jo-password"), 200);
    }

    @Test
    void theResetPageSetsANewPassword() throws Exception {
        TestRealm realm = browserRealm("browser-reset", "auto");
        String email = "ines-" + System.nanoTime() + "@example.test";
        expect(register(realm, email, "ines-password"), 202);
        expect(realm.api().postJson(base(realm) + "/reset/send", null, map("email", email)), 202);
        String link = Mailbox.link(mailbox.await(email, 1).get(0));
        assertTrue(link.contains("/app-users/email-password/reset-page?"), link);

        browser.get(link);
        waitFor(By.id("password"));
        browser.findElement(By.id("password")).sendKeys("ines-new-password");
        browser.findElement(By.id("password-confirm")).sendKeys("different");
        browser.findElement(By.id("app-users-reset-button")).click();
        waitFor(By.id("password"));
        browser.findElement(By.id("password")).sendKeys("ines-new-password");
        browser.findElement(By.id("password-confirm")).sendKeys("ines-new-password");
        browser.findElement(By.id("app-users-reset-button")).click();
        waitForText("Your password was changed.");
        expect(passwordGrant(realm, email, "ines-new-password"), 200);
        assertEquals("invalid_grant", passwordGrant(realm, email, "ines-password").error());
    }
}
