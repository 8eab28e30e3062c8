package io.github.appusers.settings;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A realm's app-users settings (docs/configuration.md). Field initialisers are the defaults:
 * everything is off until a realm turns it on. The JSON names are the contract's.
 */
@JsonPropertyOrder({"anonymous", "email_password", "custom_function", "custom_token", "custom_data", "api_keys",
        "account_deletion", "recent_login_seconds"})
public class AppUsersSettings {

    @JsonProperty("anonymous")
    public Anonymous anonymous = new Anonymous();

    @JsonProperty("email_password")
    public EmailPassword emailPassword = new EmailPassword();

    @JsonProperty("custom_function")
    public CustomFunction customFunction = new CustomFunction();

    @JsonProperty("custom_token")
    public CustomToken customToken = new CustomToken();

    @JsonProperty("custom_data")
    public CustomData customData = new CustomData();

    @JsonProperty("api_keys")
    public ApiKeys apiKeys = new ApiKeys();

    @JsonProperty("account_deletion")
    public AccountDeletion accountDeletion = new AccountDeletion();

    /** Linking, unlinking and deletion need an access token whose auth_time is at most this old. */
    @JsonProperty("recent_login_seconds")
    public int recentLoginSeconds = 300;

    /** True when any feature is on, which is when the realm needs the app-users client scope. */
    public boolean anyFeatureEnabled() {
        return anonymous.enabled || emailPassword.enabled || customFunction.enabled || customToken.enabled
                || apiKeys.enabled;
    }

    /**
     * Whether users may delete their own account ({@code DELETE /me}): the admin's choice when
     * set, else on exactly when the realm uses some feature. Never in the admin realm, whose users
     * are Keycloak's administrators rather than app users.
     */
    public boolean accountDeletionAllowed(boolean adminRealm) {
        if (adminRealm) {
            return false;
        }
        return accountDeletion.enabled != null ? accountDeletion.enabled : anyFeatureEnabled();
    }

    public static class Anonymous {
        @JsonProperty("enabled")
        public boolean enabled = false;
        @JsonProperty("max_per_ip_per_hour")
        public int maxPerIpPerHour = 100;
        @JsonProperty("purge_inactive_days")
        public int purgeInactiveDays = 30;
        @JsonProperty("delete_on_logout")
        public boolean deleteOnLogout = false;
    }

    public static class EmailPassword {
        @JsonProperty("enabled")
        public boolean enabled = false;
        /** {@code auto}, {@code email} or {@code function}. */
        @JsonProperty("confirmation")
        public String confirmation = "email";
        @JsonProperty("confirmation_function")
        public String confirmationFunction;
        @JsonProperty("confirmation_url")
        public String confirmationUrl;
        @JsonProperty("token_ttl_seconds")
        public int tokenTtlSeconds = 1800;
        @JsonProperty("resend_cooldown_seconds")
        public int resendCooldownSeconds = 60;
        /** {@code email} or {@code function}. */
        @JsonProperty("reset")
        public String reset = "email";
        @JsonProperty("reset_function")
        public String resetFunction;
        @JsonProperty("reset_url")
        public String resetUrl;
        /** Register, resend, retry and reset requests per client address and hour; 0 = no limit. */
        @JsonProperty("max_requests_per_ip_per_hour")
        public int maxRequestsPerIpPerHour = 30;
    }

    public static class CustomFunction {
        @JsonProperty("enabled")
        public boolean enabled = false;
        /** Custom-function logins and links per client address in any minute; 0 = no limit. */
        @JsonProperty("max_logins_per_ip_per_minute")
        public int maxLoginsPerIpPerMinute = 60;
    }

    public static class CustomToken {
        @JsonProperty("enabled")
        public boolean enabled = false;
        @JsonProperty("issuer")
        public String issuer;
        @JsonProperty("audience")
        public String audience;
        @JsonProperty("jwks_url")
        public String jwksUrl;
        /**
         * The HS256 secret while it travels between an admin and the store: never in the stored
         * document (the realm's stored secrets hold it, see SettingsSecrets), always masked when shown.
         */
        @JsonProperty("hs256_secret")
        public String hs256Secret;
        /** Tokens whose iat is older than this are refused. */
        @JsonProperty("max_age_seconds")
        public int maxAgeSeconds = 3600;
        @JsonProperty("metadata")
        public List<MetadataField> metadata = new ArrayList<>();
    }

    /** Maps one claim of an external JWT onto a user field or attribute. */
    public static class MetadataField {
        @JsonProperty("claim")
        public String claim;
        @JsonProperty("attribute")
        public String attribute;
        @JsonProperty("required")
        public boolean required = false;
    }

    public static class CustomData {
        @JsonProperty("user_writable")
        public boolean userWritable = false;
        @JsonProperty("max_bytes")
        public int maxBytes = 16384;
        /** Top-level fields copied into Keycloak user attributes of the same name, for user search. */
        @JsonProperty("copy_to_attributes")
        public List<String> copyToAttributes = new ArrayList<>();
    }

    public static class ApiKeys {
        @JsonProperty("enabled")
        public boolean enabled = false;
        @JsonProperty("max_per_user")
        public int maxPerUser = 20;
    }

    public static class AccountDeletion {
        /** {@code null}: derived (see {@link AppUsersSettings#accountDeletionAllowed}); true or false: an admin's choice. */
        @JsonProperty("enabled")
        public Boolean enabled;
    }
}
