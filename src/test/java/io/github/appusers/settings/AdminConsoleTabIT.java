package io.github.appusers.settings;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Browser;
import io.github.appusers.testsupport.Database;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.KeycloakServer;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The "App users" and "App users functions" tabs of the admin console (realm settings), driven in
 * real headless Chromium: what they show is the realm's settings and functions, and what they save
 * goes through the same validation as the REST API.
 */
class AdminConsoleTabIT extends IntegrationTest {

    private static final String HS256_SECRET = "console-tab-hs256-secret-0123456789";
    private static final String FUNCTION_SECRET = "console-tab-function-secret-0123";
    private static WebDriver browser;
    private static WebDriverWait wait;

    /** On a failure, what the browser showed goes next to the server logs (target/it-logs). */
    @RegisterExtension
    final TestWatcher keepPageOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            try {
                Path dir = Files.createDirectories(Path.of(System.getProperty("it.log.dir", "target/it-logs")));
                String name = "console-" + context.getRequiredTestMethod().getName();
                Files.writeString(dir.resolve(name + ".html"), browser.getPageSource());
                Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            } catch (IOException | RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    };

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** Opens a tab of the realm's settings, logging in to the admin console when it asks. */
    private static void openTab(TestRealm realm, String tab, By readyWhen) {
        browser.get("about:blank"); // a full load, so the tab fetches its form anew
        browser.get(server().baseUrl() + "/admin/master/console/#/" + realm.name() + "/realm-settings/" + tab);
        wait.until(ExpectedConditions.or(ExpectedConditions.presenceOfElementLocated(By.id("kc-login")),
                ExpectedConditions.presenceOfElementLocated(readyWhen)));
        if (!browser.findElements(By.id("kc-login")).isEmpty()) {
            browser.findElement(By.id("username")).sendKeys(KeycloakServer.ADMIN_USER);
            browser.findElement(By.id("password")).sendKeys(KeycloakServer.ADMIN_PASSWORD);
            browser.findElement(By.id("kc-login")).click();
        }
        wait.until(ExpectedConditions.presenceOfElementLocated(readyWhen));
    }

    private static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    private static WebElement field(String id) {
        return wait.until(ExpectedConditions.elementToBeClickable(testId(id)));
    }

    /** Replaces a field's text the way a person does (select all, type), so React sees the change. */
    private static void type(String id, String text) {
        WebElement field = field(id);
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        field.sendKeys(text);
        field.sendKeys(Keys.TAB);
    }

    /** A switch's state (its checkbox is hidden behind the switch, so it is read, not clicked). */
    private static boolean isOn(String id) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(testId(id))).isSelected();
    }

    /** Clicks Save and waits for the console's alert that holds {@code expected}; returns the alerts' text. */
    private static String save(String expected) {
        field("save").click();
        By alerts = testId("global-alerts");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(alerts, expected));
        return browser.findElement(alerts).getText();
    }

    private static JsonNode settings(TestRealm realm) {
        return expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).json();
    }

    /** Stored secrets of the realm with this name and value, read from the database (the API masks them). */
    private static long storedSecrets(TestRealm realm, String name, String value) {
        String realmId = expect(realm.admin().get(realm.adminPath("")), 200).json().get("id").asText();
        return Database.count("SELECT COUNT(*) FROM COMPONENT c JOIN COMPONENT_CONFIG cc ON cc.COMPONENT_ID = c.ID"
                + " WHERE c.REALM_ID = ? AND c.NAME = ? AND cc.NAME = 'value' AND cc.VALUE = ?", realmId, name, value);
    }

    private static String storedSettings(TestRealm realm) {
        return expect(realm.admin().get(realm.adminPath("")), 200).json().at("/attributes/app-users.settings").asText();
    }

    @Test
    void theTabShowsTheSettingsAndASaveThereChangesThem() {
        TestRealm realm = TestRealm.create("console-save", map("anonymous", map("enabled", true, "max_per_ip_per_hour", 7)));
        expect(realm.updateSettings(map("custom_token", map("hs256_secret", HS256_SECRET))), 200);

        openTab(realm, "app-users", testId("anonymous-max_per_ip_per_hour"));
        assertEquals("7", field("anonymous-max_per_ip_per_hour").getDomProperty("value"));
        assertTrue(isOn("anonymous-enabled"));
        assertEquals(SettingsCodec.SECRET_MASK, field("config.custom_token-hs256_secret").getDomProperty("value"));
        assertFalse(browser.getPageSource().contains(HS256_SECRET), "the secret never reaches the browser");

        type("anonymous-max_per_ip_per_hour", "42");
        type("api_keys-max_per_user", "3");
        save("Saved successfully");

        JsonNode saved = settings(realm);
        assertEquals(42, saved.at("/anonymous/max_per_ip_per_hour").asInt());
        assertEquals(3, saved.at("/api_keys/max_per_user").asInt());
        assertTrue(saved.at("/anonymous/enabled").asBoolean(), "fields left alone keep their values");
        assertEquals(1, storedSecrets(realm, "custom_token.hs256_secret", HS256_SECRET),
                "the masked secret field kept the secret");
        assertFalse(storedSettings(realm).contains(HS256_SECRET), "secrets are never in the settings attribute");

        String components = expect(realm.admin().get(realm.adminPath("/components?type="
                + "org.keycloak.services.ui.extend.UiTabProvider")), 200).body();
        assertFalse(components.contains(HS256_SECRET), "the tab's component never holds the secret");
    }

    @Test
    void aRealmWithoutSettingsShowsTheDefaultsAndIsSetUpFromTheTab() {
        TestRealm realm = TestRealm.create("console-new", null);
        openTab(realm, "app-users", testId("anonymous-max_per_ip_per_hour"));
        assertEquals("100", field("anonymous-max_per_ip_per_hour").getDomProperty("value"));
        assertFalse(isOn("anonymous-enabled"));

        browser.findElement(By.cssSelector("label[for='anonymous-enabled']")).click();
        wait.until(driver -> isOn("anonymous-enabled"));
        save("Saved successfully");

        assertTrue(settings(realm).at("/anonymous/enabled").asBoolean());
        String scopes = expect(realm.admin().get(realm.adminPath("/client-scopes")), 200).body();
        assertTrue(scopes.contains("\"app-users\""), "turning a feature on in the tab sets the realm up like the API");
        JsonNode tabs = expect(realm.admin().get(realm.adminPath("/components?type="
                + "org.keycloak.services.ui.extend.UiTabProvider")), 200).json();
        assertEquals(1, tabs.size(), tabs.toString());
        assertFalse(tabs.get(0).path("config").has("tab"), "the console's route parameters are not kept");
    }

    @Test
    void anInvalidValueIsRefusedWithItsReasonAndChangesNothing() {
        TestRealm realm = TestRealm.create("console-invalid", map("anonymous", map("enabled", true, "max_per_ip_per_hour", 7)));
        String before = storedSettings(realm);
        openTab(realm, "app-users", testId("anonymous-max_per_ip_per_hour"));

        type("anonymous-max_per_ip_per_hour", "2000000");
        type("recent_login_seconds", "60");
        String outOfRange = save("between 0 and 1000000");
        assertTrue(outOfRange.contains("anonymous.max_per_ip_per_hour"), outOfRange);
        assertEquals(before, storedSettings(realm), "a refused save changes nothing, not even the valid field");

        type("anonymous-max_per_ip_per_hour", "5");
        type("custom_token-jwks_url", "not a url");
        save("setting 'custom_token.jwks_url' must be an absolute http(s) URL");
        assertEquals(before, storedSettings(realm));
        assertEquals(7, settings(realm).at("/anonymous/max_per_ip_per_hour").asInt());
    }

    @Test
    void aChangeThroughTheRestApiShowsInTheTab() {
        TestRealm realm = TestRealm.create("console-rest", map("anonymous", map("enabled", true)));
        openTab(realm, "app-users", testId("anonymous-max_per_ip_per_hour"));
        assertEquals("100", field("anonymous-max_per_ip_per_hour").getDomProperty("value"));
        assertFalse(isOn("api_keys-enabled"));

        expect(realm.updateSettings(map("anonymous", map("max_per_ip_per_hour", 55), "api_keys", map("enabled", true),
                "custom_token", map("issuer", "https://issuer.example"))), 200);

        openTab(realm, "app-users", testId("anonymous-max_per_ip_per_hour"));
        assertEquals("55", field("anonymous-max_per_ip_per_hour").getDomProperty("value"));
        assertTrue(isOn("api_keys-enabled"));
        assertEquals("https://issuer.example", field("custom_token-issuer").getDomProperty("value"));
    }

    @Test
    void theFunctionsTabListsEditsAddsAndRemovesFunctions() {
        TestRealm realm = TestRealm.create("console-functions", map("custom_function", map("enabled", true)));
        expect(realm.admin().put(realm.adminPath("/app-users/functions/login"), map("kind", "login",
                "url", "https://app.example/login", "secret", FUNCTION_SECRET, "timeout_ms", 5000)), 200);
        expect(realm.admin().put(realm.adminPath("/app-users/functions/old"), map("kind", "call",
                "url", "https://app.example/old", "secret", FUNCTION_SECRET)), 200);

        openTab(realm, "app-users-functions", testId("config.functions.0.value"));
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            rows.add(field("config.functions." + i + ".key").getDomProperty("value") + " = "
                    + field("config.functions." + i + ".value").getDomProperty("value"));
        }
        assertEquals(List.of("login = login https://app.example/login 5000", "old = call https://app.example/old 5000"),
                rows);
        assertFalse(browser.getPageSource().contains(FUNCTION_SECRET));

        // A new function without a secret is refused, and nothing changes.
        field("config.functions-add-row").click();
        type("config.functions.2.key", "hello");
        type("config.functions.2.value", "call https://app.example/hello 1500");
        save("function 'hello': secret is required for a new function");
        assertEquals(2, expect(realm.admin().get(realm.adminPath("/app-users/functions")), 200).json().size());

        // With its secret it is added; the login function's timeout changes; "old" is removed.
        type("secret_function", "hello");
        type("config.secret", FUNCTION_SECRET);
        type("config.functions.0.value", "login https://app.example/login 2500");
        field("config.functions.1.remove").click();
        save("Saved successfully");

        JsonNode functions = expect(realm.admin().get(realm.adminPath("/app-users/functions")), 200).json();
        assertEquals(2, functions.size(), functions.toString());
        assertEquals("hello", functions.get(0).get("name").asText());
        assertEquals("call", functions.get(0).get("kind").asText());
        assertEquals(1500, functions.get(0).get("timeout_ms").asInt());
        assertEquals("login", functions.get(1).get("name").asText());
        assertEquals(2500, functions.get(1).get("timeout_ms").asInt());
        assertEquals(1, storedSecrets(realm, "function.hello", FUNCTION_SECRET), "the new function has its secret");
        assertFalse(expect(realm.admin().get(realm.adminPath("")), 200).body().contains(FUNCTION_SECRET),
                "secrets are never in the realm attributes");

        // A function changed through the REST API shows in the tab.
        expect(realm.admin().delete(realm.adminPath("/app-users/functions/login")), 204);
        openTab(realm, "app-users-functions", testId("config.functions.0.value"));
        assertEquals("call https://app.example/hello 1500", field("config.functions.0.value").getDomProperty("value"));
        assertTrue(browser.findElements(testId("config.functions.1.value")).isEmpty());
        assertTrue(field("config.secret").getDomProperty("value").isEmpty(), "the secret is never shown back");
    }

    @Test
    void aRealmWithItsTabComponentsExportsAndImportsUnchanged() {
        TestRealm realm = TestRealm.create("console-export", map("anonymous", map("enabled", true)));
        expect(realm.updateSettings(map("anonymous", map("max_per_ip_per_hour", 9))), 200);
        expect(realm.admin().put(realm.adminPath("/app-users/functions/login"), map("kind", "login",
                "url", "https://app.example/login", "secret", FUNCTION_SECRET)), 200);

        var export = (com.fasterxml.jackson.databind.node.ObjectNode) expect(realm.admin().post(
                realm.adminPath("/partial-export?exportClients=false&exportGroupsAndRoles=false"), null), 200).json();
        assertTrue(export.path("components").toString().contains("App users"), "the tab components are exported");
        // Imported in place of the original (the export keeps every id, as a moved realm would).
        String copy = realm.name();
        realm.delete();
        expect(realm.admin().post("/realms", export), 201);

        JsonNode imported = expect(realm.admin().get("/realms/" + copy + "/app-users/settings"), 200).json();
        assertEquals(9, imported.at("/anonymous/max_per_ip_per_hour").asInt());
        JsonNode tabs = expect(realm.admin().get("/realms/" + copy + "/components?type="
                + "org.keycloak.services.ui.extend.UiTabProvider"), 200).json();
        assertEquals(2, tabs.size(), "one component per tab, none doubled by the import: " + tabs);
        expect(realm.admin().delete("/realms/" + copy), 204);
    }

    /**
     * The offline path: {@code kc.sh import} of the demo realm gives it the tab components, and
     * {@code kc.sh export} of that realm imports again into another database.
     */
    @Test
    void kcShExportAndImportCarryTheTabComponents() throws Exception {
        if (!"dev-file".equals(server().db())) {
            return; // offline commands run on their own H2 files; once is enough
        }
        Path demoRealm = Path.of(System.getProperty("it.project.dir", "."), "realm-config", "demo-realm.json");
        Path work = Files.createTempDirectory("kc-console-export");
        Path exported = work.resolve("demo-export.json");
        kcSh(work, "first", "import", "--file", demoRealm.toAbsolutePath().toString());
        kcSh(work, "first", "export", "--realm", "demo", "--file", exported.toString());

        JsonNode export = io.github.appusers.testsupport.Api.JSON.readTree(Files.readString(exported));
        JsonNode tabs = export.path("components").path("org.keycloak.services.ui.extend.UiTabProvider");
        List<String> names = new ArrayList<>();
        tabs.forEach(tab -> names.add(tab.path("providerId").asText()));
        assertEquals(List.of("App users", "App users functions").stream().sorted().toList(),
                names.stream().sorted().toList(), tabs.toString());
        assertFalse(tabs.toString().contains("demo-function-secret-change-me"), "no secret in the tab components");

        String output = kcSh(work, "second", "import", "--file", exported.toString());
        assertTrue(output.contains("Realm 'demo' imported"), output);
    }

    /** Runs an offline kc.sh command on the H2 database {@code db} under {@code work}; returns its output. */
    private static String kcSh(Path work, String db, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(server().home().resolve("bin/kc.sh").toString()));
        command.add(arguments[0]);
        command.add("--optimized");
        command.addAll(List.of(arguments).subList(1, arguments.length));
        command.addAll(List.of("--db-url=jdbc:h2:file:" + work.resolve(db).toAbsolutePath() + ";NON_KEYWORDS=VALUE",
                "--db-username=sa", "--db-password=password"));
        Path log = work.resolve(db + "-" + arguments[0] + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "kc.sh " + arguments[0] + " finished");
        String output = Files.readString(log);
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
