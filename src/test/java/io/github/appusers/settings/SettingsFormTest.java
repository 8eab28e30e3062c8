package io.github.appusers.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.provider.ProviderConfigProperty;

class SettingsFormTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static AppUsersSettings settings(String json) throws Exception {
        return SettingsCodec.merge(SettingsCodec.defaults(), JSON.readTree(json));
    }

    private static AppUsersSettings roundTrip(AppUsersSettings current, MultivaluedHashMap<String, String> form)
            throws SettingsCodec.InvalidSettingsException {
        return SettingsCodec.merge(current, SettingsForm.toPatch(form));
    }

    @Test
    void theFormOfSettingsMeansTheSameSettings() throws Exception {
        AppUsersSettings current = settings("""
                {"anonymous": {"enabled": true, "max_per_ip_per_hour": 7},
                 "email_password": {"enabled": true, "confirmation": "function", "confirmation_function": "confirm"},
                 "custom_token": {"enabled": true, "issuer": "https://issuer.example", "hs256_secret": "0123456789abcdef0123",
                                  "metadata": [{"claim": "name", "attribute": "firstName", "required": true}]},
                 "custom_data": {"copy_to_attributes": ["plan", "team"]},
                 "recent_login_seconds": 60}""");
        AppUsersSettings again = roundTrip(current, SettingsForm.toConfig(current));
        assertEquals(SettingsCodec.toStoredForm(current), SettingsCodec.toStoredForm(again));
    }

    @Test
    void theModeChoicesAreTheModesJsonNames() {
        ProviderConfigProperty confirmation = SettingsForm.properties().stream()
                .filter(p -> p.getName().equals("email_password-confirmation")).findFirst().orElseThrow();
        assertEquals(List.of("auto", "email", "function"), confirmation.getOptions());
        assertEquals("email", confirmation.getDefaultValue());
        ProviderConfigProperty reset = SettingsForm.properties().stream()
                .filter(p -> p.getName().equals("email_password-reset")).findFirst().orElseThrow();
        assertEquals(List.of("email", "function"), reset.getOptions());
    }

    @Test
    void aSetSecretIsShownAsTheMaskAndTheMaskKeepsIt() throws Exception {
        AppUsersSettings current = settings("{\"custom_token\": {\"hs256_secret\": \"0123456789abcdef0123\"}}");
        MultivaluedHashMap<String, String> form = SettingsForm.toConfig(current);
        assertEquals(List.of(SettingsCodec.SECRET_MASK), form.get("custom_token-hs256_secret"));
        assertFalse(form.toString().contains("0123456789abcdef0123"));

        assertEquals("0123456789abcdef0123", roundTrip(current, form).customToken.hs256Secret);
        form.remove("custom_token-hs256_secret");
        assertNull(roundTrip(current, form).customToken.hs256Secret, "an emptied secret field removes the secret");
    }

    @Test
    void emptiedTextsAreNoValueWhileMissingNumbersKeepTheirValue() throws Exception {
        AppUsersSettings current = settings("{\"custom_token\": {\"issuer\": \"https://issuer.example\"},"
                + " \"anonymous\": {\"max_per_ip_per_hour\": 7}}");
        MultivaluedHashMap<String, String> form = SettingsForm.toConfig(current);
        form.remove("custom_token-issuer");
        form.remove("anonymous-max_per_ip_per_hour");
        AppUsersSettings saved = roundTrip(current, form);
        assertNull(saved.customToken.issuer);
        assertEquals(7, saved.anonymous.maxPerIpPerHour);
    }

    @Test
    void wrongTypesAndRangesAreRefused() throws Exception {
        AppUsersSettings current = SettingsCodec.defaults();
        MultivaluedHashMap<String, String> form = SettingsForm.toConfig(current);
        form.putSingle("anonymous-max_per_ip_per_hour", "lots");
        var notANumber = assertThrows(SettingsCodec.InvalidSettingsException.class, () -> SettingsForm.toPatch(form));
        assertTrue(notANumber.getMessage().contains("anonymous.max_per_ip_per_hour"));

        form.putSingle("anonymous-max_per_ip_per_hour", "2000000");
        var outOfRange = assertThrows(SettingsCodec.InvalidSettingsException.class, () -> roundTrip(current, form));
        assertTrue(outOfRange.getMessage().contains("between 0 and 1000000"));

        MultivaluedHashMap<String, String> badSwitch = SettingsForm.toConfig(current);
        badSwitch.putSingle("api_keys-enabled", "yes");
        assertThrows(SettingsCodec.InvalidSettingsException.class, () -> SettingsForm.toPatch(badSwitch));

        MultivaluedHashMap<String, String> badJson = SettingsForm.toConfig(current);
        badJson.putSingle("custom_token-metadata", "{\"claim\": \"name\"}");
        assertThrows(SettingsCodec.InvalidSettingsException.class, () -> SettingsForm.toPatch(badJson));
    }

    @Test
    void theTabShowsTheEffectiveAccountDeletionSwitchAndAnUnchangedSaveKeepsItDerived() throws Exception {
        AppUsersSettings current = settings("{\"anonymous\": {\"enabled\": true}}");
        MultivaluedHashMap<String, String> form = SettingsForm.toConfig(SettingsCodec.effective(current, false));
        assertEquals(List.of("true"), form.get("account_deletion-enabled"));
        AppUsersSettings saved = SettingsCodec.merge(current,
                SettingsCodec.withoutUnchangedDerived(current, SettingsForm.toPatch(form), false));
        assertNull(saved.accountDeletion.enabled);

        form.putSingle("account_deletion-enabled", "false");
        AppUsersSettings switchedOff = SettingsCodec.merge(current,
                SettingsCodec.withoutUnchangedDerived(current, SettingsForm.toPatch(form), false));
        assertEquals(Boolean.FALSE, switchedOff.accountDeletion.enabled);
    }

    @Test
    void routeParametersTheConsoleAddsAreIgnored() throws Exception {
        MultivaluedHashMap<String, String> form = SettingsForm.toConfig(SettingsCodec.defaults());
        form.putSingle("realm", "demo");
        form.putSingle("tab", "app-users");
        assertEquals(SettingsCodec.toStoredForm(SettingsCodec.defaults()),
                SettingsCodec.toStoredForm(roundTrip(SettingsCodec.defaults(), form)));
    }

    @Test
    void everySettingHasAFieldWithItsDefault() {
        List<ProviderConfigProperty> properties = SettingsForm.properties();
        long settingsCount = SettingsCodec.toJson(SettingsCodec.defaults()).properties().stream()
                .mapToLong(e -> e.getValue().isObject() ? e.getValue().size() : 1)
                .sum();
        assertEquals(settingsCount, properties.size());
        ProviderConfigProperty maxPerIp = properties.stream()
                .filter(p -> p.getName().equals("anonymous-max_per_ip_per_hour")).findFirst().orElseThrow();
        assertEquals(ProviderConfigProperty.INTEGER_TYPE, maxPerIp.getType());
        assertEquals("100", maxPerIp.getDefaultValue());
        ProviderConfigProperty functionLogins = properties.stream()
                .filter(p -> p.getName().equals("custom_function-max_logins_per_ip_per_minute")).findFirst().orElseThrow();
        assertEquals(ProviderConfigProperty.INTEGER_TYPE, functionLogins.getType());
        assertEquals("60", functionLogins.getDefaultValue());
        assertTrue(properties.stream().filter(ProviderConfigProperty::isSecret).map(ProviderConfigProperty::getName)
                .toList().equals(List.of("custom_token-hs256_secret")));
    }
}
