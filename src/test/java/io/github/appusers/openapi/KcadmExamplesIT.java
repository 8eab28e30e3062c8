package io.github.appusers.openapi;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.KeycloakServer;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kcadm walkthrough of docs/rest-api.md ("Administration with kcadm.sh"), run as it is written
 * (in a fresh realm instead of {@code demo}) with the distribution's own {@code bin/kcadm.sh}, then
 * its effects checked over the REST API. The kcadm examples of the other pages are commands of
 * this walkthrough (OpenApiDocumentTest checks that), so this runs them too.
 */
class KcadmExamplesIT extends IntegrationTest {

    @TempDir
    Path tmp;

    /** Output of one kcadm run. */
    record Run(int exitCode, String stdout, String stderr) {
    }

    @Test
    void theKcadmWalkthroughOfTheDocsWorksAsWritten() throws Exception {
        TestRealm realm = TestRealm.create("kcadm", map(
                "email_password", map("enabled", true, "confirmation", "email"),
                "api_keys", map("enabled", true),
                "custom_function", map("enabled", true))).relaxUserProfile();
        // What the docs' placeholders stand for: a pending registration, a user, a server key.
        expect(realm.api().postJson(realm.path("/app-users/email-password/register"), null,
                map("email", "ann@example.com", "password", "a-good-password")), 202);
        String userId = realm.createUser("bob", "a-good-password");
        String keyId = expect(realm.admin().post(realm.adminPath("/app-users/api-keys"), map("name", "first")), 201)
                .json().get("id").asText();
        Map<String, String> values = Map.of("$USER_ID", userId, "$KEY_ID", keyId);

        Path config = tmp.resolve("kcadm.config");
        Run login = kcadm(null, "config", "credentials", "--server", server().baseUrl(), "--realm", "master",
                "--user", KeycloakServer.ADMIN_USER, "--password", KeycloakServer.ADMIN_PASSWORD,
                "--config", config.toString());
        assertEquals(0, login.exitCode(), login.toString());

        List<DocsExamples.Command> commands = DocsExamples.load().commands();
        assertTrue(commands.size() > 20, "commands found: " + commands.size());
        List<Run> runs = new ArrayList<>();
        for (DocsExamples.Command command : commands) {
            List<String> args = new ArrayList<>();
            for (String arg : command.args(values)) {
                args.add(arg.equals("demo") ? realm.name() : arg);
            }
            args.add("--config");
            args.add(config.toString());
            Run run = kcadm(command.stdin(), args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), command + " -> " + run);
            if (command.verb().equals("get") || command.args().contains("-o")) {
                JsonNode printed = Api.JSON.readTree(run.stdout());
                assertFalse(printed.isMissingNode(), command + " printed no JSON: " + run);
                assertFalse(printed.has("error"), command + " printed an error: " + run);
            }
            runs.add(run);
        }

        // The effects, read back over the REST API.
        JsonNode settings = expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).json();
        assertTrue(settings.at("/anonymous/enabled").asBoolean());
        assertEquals(50, settings.at("/anonymous/max_per_ip_per_hour").asInt());
        assertEquals(120, settings.at("/email_password/resend_cooldown_seconds").asInt());
        assertEquals(20, settings.at("/custom_function/max_logins_per_ip_per_minute").asInt());
        assertTrue(settings.at("/account_deletion/enabled").asBoolean(),
                "set to false, then back to the derived default, which is on while a feature is on");
        String stored = expect(realm.admin().get(realm.adminPath("")), 200).json().at("/attributes/app-users.settings")
                .asText();
        assertTrue(readJson(stored).at("/account_deletion/enabled").isNull(), "stored as the derived default: " + stored);
        assertEquals(404, realm.admin().get(realm.adminPath("/app-users/functions/hello")).status());
        JsonNode ann = expect(realm.admin().get(realm.adminPath("/app-users/users?provider_type=local-userpass")), 200)
                .json().get(0);
        assertEquals("ann@example.com", ann.get("email").asText());
        assertEquals("pending-first-login", ann.get("status").asText(), "confirmed by the walkthrough's confirm");
        JsonNode customData = expect(realm.admin().get(realm.adminPath("/app-users/users/" + userId + "/custom-data")),
                200).json();
        assertEquals("gold", customData.get("plan").asText());
        assertEquals(0, expect(realm.admin().get(realm.adminPath("/app-users/users/" + userId + "/identities")), 200)
                .json().size(), "the attached identity was removed again");
        assertEquals(404, realm.admin().get(realm.adminPath("/app-users/api-keys/" + keyId)).status());
        JsonNode keys = expect(realm.admin().get(realm.adminPath("/app-users/api-keys")), 200).json();
        assertEquals(1, keys.size(), keys.toString());
        assertEquals("backend", keys.get(0).get("name").asText());
        JsonNode created = runs.stream().filter(run -> run.stdout().contains("\"key\""))
                .map(run -> readJson(run.stdout())).findFirst().orElseThrow();
        assertTrue(created.get("key").asText().startsWith("ak." + created.get("id").asText() + "."),
                "create -o shows the new key's value");

        // A refusal prints the error and exits with 1, as docs/rest-api.md says.
        Run refused = kcadm(null, "create", "app-users/registrations/by-email/ann@example.com/run-confirm",
                "-r", realm.name(), "--config", config.toString());
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.stderr().contains("[not_pending]"), refused.toString());
    }

    private static JsonNode readJson(String text) {
        try {
            return Api.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private Run kcadm(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(server().home().resolve("bin/kcadm.sh").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile());
        String javaHome = System.getenv("KC_JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            builder.environment().put("JAVA_HOME", javaHome);
        }
        Path out = Files.createTempFile(tmp, "kcadm", ".out");
        Path err = Files.createTempFile(tmp, "kcadm", ".err");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("kcadm did not finish: " + command);
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
