package io.github.appusers.examples;

import static io.github.appusers.testsupport.AdminApi.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.Browser;
import io.github.appusers.testsupport.ExampleServerProcess;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo app (examples/demo-app/, served by the example function server as run.sh starts it)
 * against realm-config/demo-realm.json, in real headless Chromium: guest login, custom data, a
 * function call, linking, API keys, two users with switching and logout, and token refresh.
 */
class DemoAppBrowserIT extends IntegrationTest {

    /** Short, so the page must refresh tokens during the test. */
    private static final int ACCESS_TOKEN_SECONDS = 10;

    private static ExampleServerProcess example;
    private static WebDriver browser;
    private static String realm;

    @BeforeAll
    static void importTheDemoRealmAndStartTheExample() throws Exception {
        realm = "demo-app-" + UUID.randomUUID().toString().substring(0, 8);
        example = ExampleServerProcess.start("demo-app-example-server.log", Map.of(
                "DEMO_KEYCLOAK_URL", api().baseUrl(),
                "DEMO_REALM", realm,
                "DEMO_APP_DIR", ExampleServerProcess.PROJECT.resolve("examples/demo-app").toString()));
        expect(admin().post("/realms", demoRealm(realm, example.port())), 201);
        browser = Browser.start();
    }

    /** The demo realm file, pointed at this test's ports, with confirmation auto and short access tokens. */
    private static ObjectNode demoRealm(String name, int examplePort) throws Exception {
        ObjectNode rep = (ObjectNode) Api.JSON.readTree(Files.readString(
                ExampleServerProcess.PROJECT.resolve("realm-config/demo-realm.json")));
        rep.put("realm", name);
        rep.put("accessTokenLifespan", ACCESS_TOKEN_SECONDS);
        ObjectNode attributes = (ObjectNode) rep.get("attributes");
        for (String function : List.of("demo-login", "hello")) {
            String key = "app-users.function." + function;
            attributes.put(key, attributes.get(key).asText().replace("127.0.0.1:8099", "127.0.0.1:" + examplePort));
        }
        ObjectNode settings = (ObjectNode) Api.JSON.readTree(attributes.get("app-users.settings").asText());
        // The file confirms by email (SMTP localhost:1025); the test needs no mail server.
        ((ObjectNode) settings.get("email_password")).put("confirmation", "auto");
        attributes.put("app-users.settings", Api.JSON.writeValueAsString(settings));
        for (JsonNode client : rep.get("clients")) {
            if ("demo-app".equals(client.get("clientId").asText())) {
                ((ArrayNode) client.get("webOrigins")).add("http://127.0.0.1:" + examplePort);
            }
        }
        return rep;
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (example != null) {
            example.close();
        }
        if (realm != null) {
            admin().delete("/realms/" + realm);
        }
    }

    @Test
    void aGuestUsesEveryFeatureThenASecondUserLogsInAndTheyTakeTurns() {
        browser.get(example.baseUrl() + "/app/");
        await(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")), "the page is ready");
        assertTrue(browser.findElement(By.id("no-accounts")).isDisplayed());

        // 1. Guest login: anonymous=true, no login page.
        click("login-guest");
        await(d -> accounts().size() == 1 && meId() != null, "a guest is logged in");
        String guest = meId();
        assertEquals(guest, text("active-user-id"));
        assertEquals("true", me().getAttribute("data-anonymous"));
        assertEquals("anon-user", adminGet("/users/" + guest + "/identities").at("/0/provider_type").asText());
        assertTrue(example.log().contains("GET /app/config.json -> 200"), "the example served the page");

        // 2. Custom data: PUT, then a merge PATCH, each with the ETag read before.
        type("custom-data", "{\"color\": \"blue\"}");
        click("custom-data-save");
        await(d -> text("status").startsWith("Custom data saved"), "the PUT succeeded");
        String etag = text("custom-data-etag");
        type("custom-data", "{\"size\": 3}");
        click("custom-data-patch");
        await(d -> !text("custom-data-etag").equals(etag) && text("status").startsWith("Custom data saved"),
                "the PATCH succeeded");
        assertEquals(Api.JSON.createObjectNode().put("color", "blue").put("size", 3),
                adminGet("/users/" + guest + "/custom-data"));
        // Someone else writes: the page's ETag is stale, its next write is refused and changes nothing.
        expect(admin().put("/realms/" + realm + "/app-users/users/" + guest + "/custom-data", Map.of("plan", "gold")), 200);
        type("custom-data", "{\"size\": 4}");
        click("custom-data-patch");
        await(d -> text("status").contains("precondition_failed"), "the stale write is refused");
        assertEquals(Api.JSON.createObjectNode().put("plan", "gold"), adminGet("/users/" + guest + "/custom-data"));

        // 3. A function call as the user.
        type("function-arg", "demo");
        click("function-call");
        await(d -> text("function-result").contains("Hello, demo!"), "the function answered");
        assertTrue(text("function-result").contains(guest), "the function saw the verified user id");

        // 4. Guests get no API keys.
        click("api-key-create");
        await(d -> text("status").contains("403 forbidden"), "a guest cannot create an API key");

        // 5. Upgrade by linking an email and password (right after the login: recent login).
        String email = "demo-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        type("link-email", email);
        type("link-password", "a-good-password");
        click("link-submit");
        await(d -> "false".equals(me().getAttribute("data-anonymous")), "the guest is upgraded");
        assertEquals(guest, meId(), "same user id after the upgrade");
        assertTrue(adminGet("/users/" + guest + "/identities").toString().contains(email));

        // 6. API keys: create, disable, enable, delete; the key logs in only while enabled.
        type("api-key-name", "laptop");
        click("api-key-create");
        await(d -> text("api-key-created").contains("ak.") && keyItems().size() == 1, "a key is created");
        String key = text("api-key-created").lines().reduce((first, last) -> last).orElseThrow().trim();
        assertEquals(guest, Jwt.claims(apiKeyLogin(key).json().get("access_token").asText()).get("sub").asText());
        keyItems().get(0).findElement(By.className("toggle")).click();
        await(d -> keyItems().size() == 1 && "false".equals(keyItems().get(0).getAttribute("data-enabled")), "disabled");
        assertEquals(400, apiKeyLogin(key).status());
        keyItems().get(0).findElement(By.className("toggle")).click();
        await(d -> keyItems().size() == 1 && "true".equals(keyItems().get(0).getAttribute("data-enabled")), "enabled");
        assertEquals(200, apiKeyLogin(key).status());
        keyItems().get(0).findElement(By.className("delete")).click();
        await(d -> keyItems().isEmpty(), "deleted");
        assertEquals(400, apiKeyLogin(key).status());

        // 7. A second user on the same browser, through the login page's "Continue as guest".
        click("login");
        await(d -> !d.findElements(By.id("app-users-continue-as-guest")).isEmpty(), "the login page is shown");
        browser.findElement(By.id("app-users-continue-as-guest")).click();
        await(d -> accounts().size() == 2 && meId() != null && !meId().equals(guest), "a second user is logged in");
        String second = meId();
        assertEquals(second, text("active-user-id"));
        assertNotEquals(guest, second);

        // 8. Switching: the page acts as the chosen user (the id comes from GET /me).
        clickAccountButton(guest, "switch");
        await(d -> guest.equals(meId()) && guest.equals(text("active-user-id")), "switched to the first user");
        assertEquals("false", me().getAttribute("data-anonymous"));
        assertTrue(text("custom-data").contains("gold"), "the first user's custom data");
        clickAccountButton(second, "switch");
        await(d -> second.equals(meId()) && second.equals(text("active-user-id")), "switched back");
        assertEquals("true", me().getAttribute("data-anonymous"));

        // 9. The active user's access token is refreshed before it expires, and the page keeps working.
        String before = storedAccount(second).get("accessToken").asText();
        long expiry = Jwt.claims(before).get("exp").asLong();
        await(d -> !before.equals(storedAccount(second).get("accessToken").asText()), "the token was refreshed");
        await(d -> Instant.now().getEpochSecond() > expiry + 1, "the first token has expired");
        assertEquals(401, api().get("/realms/" + realm + "/app-users/me", before).status(), "the old token is dead");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('log').textContent = ''");
        click("me-load");
        await(d -> text("log").startsWith("GET /me -> 200"), "GET /me works after the first token expired");
        assertEquals(second, meId());

        // 10. Logging out one user ends its session in Keycloak; the other stays logged in and active.
        String secondRefreshToken = storedAccount(second).get("refreshToken").asText();
        clickAccountButton(second, "logout");
        await(d -> accounts().size() == 1 && guest.equals(meId()) && guest.equals(text("active-user-id")),
                "the first user remains");
        assertEquals("invalid_grant", refresh(secondRefreshToken).error(), "the second user's session is over");
        assertEquals(200, refresh(storedAccount(guest).get("refreshToken").asText()).status(),
                "the first user's session goes on");
        assertEquals(List.of(guest), storedIds());
    }

    /** The example serves the app's own files and its config, nothing else, with headers that keep the page tight. */
    @Test
    void theExampleServesOnlyTheAppsFiles() {
        Api direct = new Api(example.baseUrl());
        ApiResponse page = direct.get("/app/", null);
        assertEquals(200, page.status());
        assertTrue(page.header("Content-Type").startsWith("text/html"));
        assertTrue(page.body().contains("app.js"));
        assertEquals("no-referrer", page.header("Referrer-Policy"), "the code in the URL never leaks as a referrer");
        assertTrue(page.header("Content-Security-Policy").contains("connect-src 'self' " + api().baseUrl()),
                page.header("Content-Security-Policy"));
        JsonNode config = direct.get("/app/config.json", null).json();
        assertEquals(api().baseUrl(), config.get("keycloak_url").asText());
        assertEquals(realm, config.get("realm").asText());
        assertEquals("demo-app", config.get("client_id").asText());
        assertEquals(200, direct.get("/app/app.js", null).status());

        for (String path : List.of("/app/../README.md", "/app/%2e%2e/README.md", "/app/..%2fREADME.md",
                "/app/missing.js", "/app/README", "/app/.hidden.js", "/apple")) {
            assertEquals(404, direct.get(path, null).status(), path);
        }
        assertEquals(405, direct.send("POST", "/app/", null, "text/plain", "x").status());
        assertEquals(302, direct.get("/app", null).status());
    }

    // --- helpers ------------------------------------------------------------------------------

    private static void await(Function<WebDriver, Boolean> condition, String what) {
        try {
            // The page redraws lists as answers arrive: an element found a moment ago may be gone.
            new WebDriverWait(browser, Duration.ofSeconds(45)).withMessage(what)
                    .ignoring(StaleElementReferenceException.class).until(condition::apply);
        } catch (RuntimeException e) {
            throw new AssertionError(what + " (status: '" + text("status") + "', log: '" + text("log") + "', url: "
                    + browser.getCurrentUrl() + ")", e);
        }
    }

    private static void click(String id) {
        browser.findElement(By.id(id)).click();
    }

    private static void type(String id, String value) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    private static String text(String id) {
        List<WebElement> found = browser.findElements(By.id(id));
        if (found.isEmpty()) {
            return "";
        }
        WebElement element = found.get(0);
        return "textarea".equals(element.getTagName()) ? element.getAttribute("value") : element.getText();
    }

    private static WebElement me() {
        return browser.findElement(By.id("me"));
    }

    /** The user id the page got from GET /me, or null before it has one. */
    private static String meId() {
        List<WebElement> found = browser.findElements(By.id("me"));
        return found.isEmpty() ? null : found.get(0).getAttribute("data-user-id");
    }

    private static List<WebElement> accounts() {
        return browser.findElements(By.cssSelector("#accounts li"));
    }

    /** Clicks a button of a user's entry; the list may be redrawn between finding and clicking: then again. */
    private static void clickAccountButton(String userId, String button) {
        new WebDriverWait(browser, Duration.ofSeconds(45)).ignoring(StaleElementReferenceException.class)
                .until(driver -> {
                    accountItem(userId).findElement(By.className(button)).click();
                    return true;
                });
    }

    private static WebElement accountItem(String userId) {
        return browser.findElement(By.cssSelector("#accounts li[data-user-id='" + userId + "']"));
    }

    private static List<WebElement> keyItems() {
        return browser.findElements(By.cssSelector("#api-keys li"));
    }

    private static JsonNode storedAccounts() {
        Object json = ((JavascriptExecutor) browser).executeScript("return localStorage.getItem('demoApp.accounts')");
        try {
            return Api.JSON.readTree(json == null ? "{}" : json.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode storedAccount(String userId) {
        return storedAccounts().get(userId);
    }

    private static List<String> storedIds() {
        List<String> ids = new ArrayList<>();
        storedAccounts().fieldNames().forEachRemaining(ids::add);
        return ids;
    }

    private static JsonNode adminGet(String path) {
        return expect(admin().get("/realms/" + realm + "/app-users" + path), 200).json();
    }

    private static ApiResponse apiKeyLogin(String key) {
        return api().postForm("/realms/" + realm + "/protocol/openid-connect/token", null, Api.form(
                "grant_type", "urn:app-users:grant-type:api-key", "client_id", "demo-app", "api_key", key));
    }

    private static ApiResponse refresh(String refreshToken) {
        return api().postForm("/realms/" + realm + "/protocol/openid-connect/token", null, Api.form(
                "grant_type", "refresh_token", "client_id", "demo-app", "refresh_token", refreshToken));
    }
}
