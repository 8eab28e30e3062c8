package io.github.appusers.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void defaultsAreAllOff() {
        AppUsersSettings defaults = SettingsCodec.defaults();
        assertFalse(defaults.anyFeatureEnabled());
        assertEquals(300, defaults.recentLoginSeconds);
    }

    @Test
    void mergeReplacesOnlyTheGivenFields() throws Exception {
        AppUsersSettings first = SettingsCodec.merge(SettingsCodec.defaults(),
                json("{\"anonymous\": {\"enabled\": true, \"max_per_ip_per_hour\": 3}}"));
        AppUsersSettings second = SettingsCodec.merge(first, json("{\"anonymous\": {\"delete_on_logout\": true}}"));
        assertTrue(second.anonymous.enabled);
        assertEquals(3, second.anonymous.maxPerIpPerHour);
        assertTrue(second.anonymous.deleteOnLogout);
        assertFalse(first.anonymous.deleteOnLogout, "the current settings object is not modified");
    }

    @Test
    void listsAreReplacedWhole() throws Exception {
        AppUsersSettings withTwo = SettingsCodec.merge(SettingsCodec.defaults(), json(
                "{\"custom_token\": {\"metadata\": [{\"claim\": \"a\", \"attribute\": \"b\"},"
                        + " {\"claim\": \"c\", \"attribute\": \"d\", \"required\": true}]}}"));
        assertEquals(2, withTwo.customToken.metadata.size());
        AppUsersSettings withOne = SettingsCodec.merge(withTwo,
                json("{\"custom_token\": {\"metadata\": [{\"claim\": \"x\", \"attribute\": \"y\"}]}}"));
        assertEquals(1, withOne.customToken.metadata.size());
        assertEquals("x", withOne.customToken.metadata.get(0).claim);
    }

    @Test
    void storedFormRoundTrips() throws Exception {
        AppUsersSettings settings = SettingsCodec.merge(SettingsCodec.defaults(),
                json("{\"email_password\": {\"enabled\": true, \"confirmation\": \"auto\"}, \"recent_login_seconds\": 9}"));
        AppUsersSettings read = SettingsCodec.fromStoredForm(SettingsCodec.toStoredForm(settings));
        assertEquals(SettingsCodec.toJson(settings), SettingsCodec.toJson(read));
    }

    @Test
    void aPartialStoredDocumentIsFilledWithDefaults() throws Exception {
        AppUsersSettings read = SettingsCodec.fromStoredForm("{\"api_keys\": {\"enabled\": true}}");
        assertTrue(read.apiKeys.enabled);
        assertEquals(20, read.apiKeys.maxPerUser);
        assertEquals(AppUsersSettings.ConfirmationMode.EMAIL, read.emailPassword.confirmation);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"api_keys\": {\"enabled\": \"true\"}}",
            "{\"api_keys\": {\"enabled\": 0}}",
            "{\"api_keys\": {\"max_per_user\": true}}",
            "{\"api_keys\": {\"max_per_user\": 2.5}}",
            "{\"api_keys\": {\"max_per_user\": 5000}}",
            "{\"email_password\": {\"confirmation_url\": 12}}",
            "{\"email_password\": {\"confirmation_url\": \"ftp://example.test/x\"}}",
            "{\"email_password\": {\"reset\": \"function\"}}",
            "{\"custom_token\": {\"metadata\": [null]}}",
            "{\"custom_token\": {\"metadata\": [{\"claim\": \"a\", \"attribute\": \"b\", \"extra\": 1}]}}",
            "{\"account_deletion\": {\"enabled\": \"true\"}}",
            "{\"account_deletion\": {\"enabled\": 1}}",
            "{\"account_deletion\": {\"enabled\": []}}",
            "{\"account_deletion\": {\"on\": true}}",
            "{\"account_deletion\": true}",
            "{\"unknown\": 1}",
            "{\"api_keys\": []}",
            "{\"custom_function\": {\"max_logins_per_ip_per_minute\": -1}}",
            "{\"custom_function\": {\"max_logins_per_ip_per_minute\": 1000001}}",
            "{\"custom_function\": {\"max_logins_per_ip_per_minute\": \"60\"}}",
            "5"
    })
    void wrongTypesUnknownFieldsAndBadValuesAreRefused(String patch) {
        assertThrows(SettingsCodec.InvalidSettingsException.class,
                () -> SettingsCodec.merge(SettingsCodec.defaults(), json(patch)));
    }

    private static String refusal(String patch) {
        return assertThrows(SettingsCodec.InvalidSettingsException.class,
                () -> SettingsCodec.merge(SettingsCodec.defaults(), json(patch))).getMessage();
    }

    @Test
    void modesAreEnumsWithLowercaseJsonNames() throws Exception {
        AppUsersSettings modes = SettingsCodec.merge(SettingsCodec.defaults(), json("{\"email_password\": {"
                + "\"confirmation\": \"function\", \"confirmation_function\": \"confirm\", \"reset\": \"function\","
                + " \"reset_function\": \"reset\"}}"));
        assertEquals(AppUsersSettings.ConfirmationMode.FUNCTION, modes.emailPassword.confirmation);
        assertEquals(AppUsersSettings.ResetMode.FUNCTION, modes.emailPassword.reset);
        assertEquals("function", SettingsCodec.toJson(modes).at("/email_password/confirmation").asText());
        assertTrue(SettingsCodec.toStoredForm(SettingsCodec.defaults())
                .contains("\"confirmation\":\"email\""), SettingsCodec.toStoredForm(SettingsCodec.defaults()));
        assertEquals(AppUsersSettings.ConfirmationMode.AUTO, SettingsCodec.fromStoredForm(
                "{\"email_password\": {\"confirmation\": \"auto\"}}").emailPassword.confirmation);
    }

    @Test
    void aModeThatIsNoneOfItsNamesIsRefusedNamingTheSettingAndTheNames() {
        String confirmation = "setting 'email_password.confirmation' must be one of [auto, email, function]";
        assertEquals(confirmation, refusal("{\"email_password\": {\"confirmation\": \"carrier-pigeon\"}}"));
        assertEquals(confirmation, refusal("{\"email_password\": {\"confirmation\": \"AUTO\"}}"),
                "the names are lower case");
        assertEquals(confirmation, refusal("{\"email_password\": {\"confirmation\": \"\"}}"));
        assertEquals(confirmation, refusal("{\"email_password\": {\"confirmation\": null}}"));
        assertEquals("setting 'email_password.reset' must be one of [email, function]",
                refusal("{\"email_password\": {\"reset\": \"sms\"}}"));
        // Other JSON types are wrong types, as for any text setting: 1 is not the constant of index 1.
        assertEquals("setting 'email_password.confirmation' has the wrong type",
                refusal("{\"email_password\": {\"confirmation\": 1}}"));
        assertEquals("setting 'email_password.reset' has the wrong type",
                refusal("{\"email_password\": {\"reset\": true}}"));
        assertEquals("setting 'email_password.reset' has the wrong type",
                refusal("{\"email_password\": {\"reset\": [\"email\"]}}"));
    }

    @Test
    void customFunctionLoginsAreLimitedTo60PerAddressAndMinuteUnlessSetOtherwise() throws Exception {
        assertEquals(60, SettingsCodec.defaults().customFunction.maxLoginsPerIpPerMinute);
        assertEquals(60, SettingsCodec.toPublicJson(SettingsCodec.defaults())
                .at("/custom_function/max_logins_per_ip_per_minute").asInt());
        assertEquals(60, SettingsCodec.fromStoredForm("{\"custom_function\": {\"enabled\": true}}")
                .customFunction.maxLoginsPerIpPerMinute, "realms stored before the setting existed get the default");
        assertEquals(0, SettingsCodec.merge(SettingsCodec.defaults(),
                json("{\"custom_function\": {\"max_logins_per_ip_per_minute\": 0}}")).customFunction.maxLoginsPerIpPerMinute);
        assertEquals(1_000_000, SettingsCodec.merge(SettingsCodec.defaults(),
                json("{\"custom_function\": {\"max_logins_per_ip_per_minute\": 1000000}}")).customFunction
                .maxLoginsPerIpPerMinute);
    }

    @Test
    void theHs256SecretIsMaskedAndTheMaskKeepsIt() throws Exception {
        AppUsersSettings withSecret = SettingsCodec.merge(SettingsCodec.defaults(),
                json("{\"custom_token\": {\"hs256_secret\": \"s3cret-value\"}}"));
        assertEquals(SettingsCodec.SECRET_MASK, SettingsCodec.toPublicJson(withSecret).at("/custom_token/hs256_secret").asText());
        AppUsersSettings roundTrip = SettingsCodec.merge(withSecret, SettingsCodec.toPublicJson(withSecret));
        assertEquals("s3cret-value", roundTrip.customToken.hs256Secret);
        assertTrue(SettingsCodec.toPublicJson(SettingsCodec.defaults()).at("/custom_token/hs256_secret").isNull());
    }

    @Test
    void accountDeletionFollowsTheFeaturesUntilAnAdminDecidesAndNeverInTheAdminRealm() throws Exception {
        assertFalse(SettingsCodec.defaults().accountDeletionAllowed(false), "a realm that uses nothing of ours");
        AppUsersSettings withGuests = SettingsCodec.merge(SettingsCodec.defaults(), json("{\"anonymous\": {\"enabled\": true}}"));
        assertTrue(withGuests.accountDeletionAllowed(false));
        assertFalse(withGuests.accountDeletionAllowed(true), "never in master");

        AppUsersSettings off = SettingsCodec.merge(withGuests, json("{\"account_deletion\": {\"enabled\": false}}"));
        assertFalse(off.accountDeletionAllowed(false));
        AppUsersSettings on = SettingsCodec.merge(SettingsCodec.defaults(), json("{\"account_deletion\": {\"enabled\": true}}"));
        assertTrue(on.accountDeletionAllowed(false), "an admin's choice outlasts the features");
        assertFalse(on.accountDeletionAllowed(true));
        AppUsersSettings derivedAgain = SettingsCodec.merge(off, json("{\"account_deletion\": {\"enabled\": null}}"));
        assertTrue(derivedAgain.accountDeletionAllowed(false));
    }

    @Test
    void adminsSeeTheEffectiveAccountDeletionSwitch() throws Exception {
        AppUsersSettings withGuests = SettingsCodec.merge(SettingsCodec.defaults(), json("{\"anonymous\": {\"enabled\": true}}"));
        assertTrue(SettingsCodec.toPublicJson(SettingsCodec.effective(withGuests, false)).at("/account_deletion/enabled").asBoolean());
        assertFalse(SettingsCodec.toPublicJson(SettingsCodec.effective(withGuests, true)).at("/account_deletion/enabled").asBoolean(true));
        assertTrue(SettingsCodec.toJson(withGuests).at("/account_deletion/enabled").isNull(), "stored: still derived");
    }

    @Test
    void sendingBackTheShownAccountDeletionValueDoesNotPinIt() throws Exception {
        AppUsersSettings none = SettingsCodec.defaults();
        // kcadm update reads the settings (deletion shown off) and sends them back with a feature on.
        JsonNode readModifyWrite = SettingsCodec.toPublicJson(SettingsCodec.effective(none, false));
        ((com.fasterxml.jackson.databind.node.ObjectNode) readModifyWrite.get("anonymous")).put("enabled", true);
        JsonNode patch = SettingsCodec.withoutUnchangedDerived(none, readModifyWrite, false);
        AppUsersSettings merged = SettingsCodec.merge(none, patch);
        assertTrue(merged.accountDeletionAllowed(false), "on with the first feature, as if never sent");
        assertTrue(merged.accountDeletion.enabled == null);
        assertFalse(readModifyWrite.at("/account_deletion/enabled").isMissingNode(), "the caller's patch is left alone");

        JsonNode change = json("{\"account_deletion\": {\"enabled\": false}}");
        AppUsersSettings pinned = SettingsCodec.merge(merged, SettingsCodec.withoutUnchangedDerived(merged, change, false));
        assertEquals(Boolean.FALSE, pinned.accountDeletion.enabled, "a value that differs from the shown one is a decision");
    }

    @Test
    void brokenStoredJsonIsReported() {
        assertThrows(SettingsCodec.InvalidSettingsException.class, () -> SettingsCodec.fromStoredForm("{nope"));
    }
}
