package io.github.appusers.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A realm's app-users settings (docs/configuration.md), immutable: read once per stored document
 * and shared by every request ({@link SettingsStore}), changed only by writing a new document
 * ({@link SettingsCodec#merge}). {@link #DEFAULTS} holds the defaults: everything is off until a
 * realm turns it on. The JSON names are the contract's.
 */
@JsonPropertyOrder({"anonymous", "email_password", "custom_function", "custom_token", "custom_data", "api_keys",
        "account_deletion", "recent_login_seconds"})
public final class AppUsersSettings {

    /** Every setting at its default. */
    public static final AppUsersSettings DEFAULTS = new AppUsersSettings(Anonymous.DEFAULTS, EmailPassword.DEFAULTS,
            CustomFunction.DEFAULTS, CustomToken.DEFAULTS, CustomData.DEFAULTS, ApiKeys.DEFAULTS,
            AccountDeletion.DEFAULTS, 300);

    @JsonProperty("anonymous")
    public final Anonymous anonymous;

    @JsonProperty("email_password")
    public final EmailPassword emailPassword;

    @JsonProperty("custom_function")
    public final CustomFunction customFunction;

    @JsonProperty("custom_token")
    public final CustomToken customToken;

    @JsonProperty("custom_data")
    public final CustomData customData;

    @JsonProperty("api_keys")
    public final ApiKeys apiKeys;

    @JsonProperty("account_deletion")
    public final AccountDeletion accountDeletion;

    /** Linking, unlinking and deletion need an access token whose auth_time is at most this old. */
    @JsonProperty("recent_login_seconds")
    public final int recentLoginSeconds;

    @JsonCreator
    public AppUsersSettings(@JsonProperty("anonymous") Anonymous anonymous,
            @JsonProperty("email_password") EmailPassword emailPassword,
            @JsonProperty("custom_function") CustomFunction customFunction,
            @JsonProperty("custom_token") CustomToken customToken,
            @JsonProperty("custom_data") CustomData customData,
            @JsonProperty("api_keys") ApiKeys apiKeys,
            @JsonProperty("account_deletion") AccountDeletion accountDeletion,
            @JsonProperty("recent_login_seconds") int recentLoginSeconds) {
        this.anonymous = anonymous;
        this.emailPassword = emailPassword;
        this.customFunction = customFunction;
        this.customToken = customToken;
        this.customData = customData;
        this.apiKeys = apiKeys;
        this.accountDeletion = accountDeletion;
        this.recentLoginSeconds = recentLoginSeconds;
    }

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

    /** A list that cannot change, keeping a null list and null items for validation to name. */
    private static <T> List<T> frozen(List<T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }

    public static final class Anonymous {
        static final Anonymous DEFAULTS = new Anonymous(false, 100, 30, false);

        @JsonProperty("enabled")
        public final boolean enabled;
        @JsonProperty("max_per_ip_per_hour")
        public final int maxPerIpPerHour;
        @JsonProperty("purge_inactive_days")
        public final int purgeInactiveDays;
        @JsonProperty("delete_on_logout")
        public final boolean deleteOnLogout;

        @JsonCreator
        public Anonymous(@JsonProperty("enabled") boolean enabled,
                @JsonProperty("max_per_ip_per_hour") int maxPerIpPerHour,
                @JsonProperty("purge_inactive_days") int purgeInactiveDays,
                @JsonProperty("delete_on_logout") boolean deleteOnLogout) {
            this.enabled = enabled;
            this.maxPerIpPerHour = maxPerIpPerHour;
            this.purgeInactiveDays = purgeInactiveDays;
            this.deleteOnLogout = deleteOnLogout;
        }
    }

    /** How a registration is confirmed ({@code email_password.confirmation}); JSON names in lower case. */
    public enum ConfirmationMode {
        /** At once, the address unverified. */
        AUTO,
        /** By the link of a confirmation email. */
        EMAIL,
        /** By the realm's confirmation function. */
        FUNCTION;

        @JsonValue
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a password reset is confirmed ({@code email_password.reset}); JSON names in lower case. */
    public enum ResetMode {
        /** By the link of a reset email. */
        EMAIL,
        /** By the realm's reset function. */
        FUNCTION;

        @JsonValue
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final class EmailPassword {
        static final EmailPassword DEFAULTS = new EmailPassword(false, ConfirmationMode.EMAIL, null, null, 1800, 60,
                ResetMode.EMAIL, null, null, 30);

        @JsonProperty("enabled")
        public final boolean enabled;
        @JsonProperty("confirmation")
        public final ConfirmationMode confirmation;
        @JsonProperty("confirmation_function")
        public final String confirmationFunction;
        @JsonProperty("confirmation_url")
        public final String confirmationUrl;
        @JsonProperty("token_ttl_seconds")
        public final int tokenTtlSeconds;
        @JsonProperty("resend_cooldown_seconds")
        public final int resendCooldownSeconds;
        @JsonProperty("reset")
        public final ResetMode reset;
        @JsonProperty("reset_function")
        public final String resetFunction;
        @JsonProperty("reset_url")
        public final String resetUrl;
        /** Register, resend, retry and reset requests per client address and hour; 0 = no limit. */
        @JsonProperty("max_requests_per_ip_per_hour")
        public final int maxRequestsPerIpPerHour;

        @JsonCreator
        public EmailPassword(@JsonProperty("enabled") boolean enabled,
                @JsonProperty("confirmation") ConfirmationMode confirmation,
                @JsonProperty("confirmation_function") String confirmationFunction,
                @JsonProperty("confirmation_url") String confirmationUrl,
                @JsonProperty("token_ttl_seconds") int tokenTtlSeconds,
                @JsonProperty("resend_cooldown_seconds") int resendCooldownSeconds,
                @JsonProperty("reset") ResetMode reset,
                @JsonProperty("reset_function") String resetFunction,
                @JsonProperty("reset_url") String resetUrl,
                @JsonProperty("max_requests_per_ip_per_hour") int maxRequestsPerIpPerHour) {
            this.enabled = enabled;
            this.confirmation = confirmation;
            this.confirmationFunction = confirmationFunction;
            this.confirmationUrl = confirmationUrl;
            this.tokenTtlSeconds = tokenTtlSeconds;
            this.resendCooldownSeconds = resendCooldownSeconds;
            this.reset = reset;
            this.resetFunction = resetFunction;
            this.resetUrl = resetUrl;
            this.maxRequestsPerIpPerHour = maxRequestsPerIpPerHour;
        }
    }

    public static final class CustomFunction {
        static final CustomFunction DEFAULTS = new CustomFunction(false, 60);

        @JsonProperty("enabled")
        public final boolean enabled;
        /** Custom-function logins and links per client address in any minute; 0 = no limit. */
        @JsonProperty("max_logins_per_ip_per_minute")
        public final int maxLoginsPerIpPerMinute;

        @JsonCreator
        public CustomFunction(@JsonProperty("enabled") boolean enabled,
                @JsonProperty("max_logins_per_ip_per_minute") int maxLoginsPerIpPerMinute) {
            this.enabled = enabled;
            this.maxLoginsPerIpPerMinute = maxLoginsPerIpPerMinute;
        }
    }

    public static final class CustomToken {
        static final CustomToken DEFAULTS = new CustomToken(false, null, null, null, null, 3600, List.of());

        @JsonProperty("enabled")
        public final boolean enabled;
        @JsonProperty("issuer")
        public final String issuer;
        @JsonProperty("audience")
        public final String audience;
        @JsonProperty("jwks_url")
        public final String jwksUrl;
        /**
         * The HS256 secret while it travels between an admin and the store: never in the stored
         * document (the realm's stored secrets hold it, see SettingsSecrets), always masked when shown.
         */
        @JsonProperty("hs256_secret")
        public final String hs256Secret;
        /** Tokens whose iat is older than this are refused. */
        @JsonProperty("max_age_seconds")
        public final int maxAgeSeconds;
        @JsonProperty("metadata")
        public final List<MetadataField> metadata;

        @JsonCreator
        public CustomToken(@JsonProperty("enabled") boolean enabled,
                @JsonProperty("issuer") String issuer,
                @JsonProperty("audience") String audience,
                @JsonProperty("jwks_url") String jwksUrl,
                @JsonProperty("hs256_secret") String hs256Secret,
                @JsonProperty("max_age_seconds") int maxAgeSeconds,
                @JsonProperty("metadata") List<MetadataField> metadata) {
            this.enabled = enabled;
            this.issuer = issuer;
            this.audience = audience;
            this.jwksUrl = jwksUrl;
            this.hs256Secret = hs256Secret;
            this.maxAgeSeconds = maxAgeSeconds;
            this.metadata = frozen(metadata);
        }
    }

    /** Maps one claim of an external JWT onto a user field or attribute. */
    public static final class MetadataField {
        @JsonProperty("claim")
        public final String claim;
        @JsonProperty("attribute")
        public final String attribute;
        @JsonProperty("required")
        public final boolean required;

        @JsonCreator
        public MetadataField(@JsonProperty("claim") String claim, @JsonProperty("attribute") String attribute,
                @JsonProperty("required") Boolean required) {
            this.claim = claim;
            this.attribute = attribute;
            // optional in each list entry: absent means not required
            this.required = Boolean.TRUE.equals(required);
        }
    }

    public static final class CustomData {
        static final CustomData DEFAULTS = new CustomData(false, 16384, List.of());

        @JsonProperty("user_writable")
        public final boolean userWritable;
        @JsonProperty("max_bytes")
        public final int maxBytes;
        /** Top-level fields copied into Keycloak user attributes of the same name, for user search. */
        @JsonProperty("copy_to_attributes")
        public final List<String> copyToAttributes;

        @JsonCreator
        public CustomData(@JsonProperty("user_writable") boolean userWritable, @JsonProperty("max_bytes") int maxBytes,
                @JsonProperty("copy_to_attributes") List<String> copyToAttributes) {
            this.userWritable = userWritable;
            this.maxBytes = maxBytes;
            this.copyToAttributes = frozen(copyToAttributes);
        }
    }

    public static final class ApiKeys {
        static final ApiKeys DEFAULTS = new ApiKeys(false, 20);

        @JsonProperty("enabled")
        public final boolean enabled;
        @JsonProperty("max_per_user")
        public final int maxPerUser;

        @JsonCreator
        public ApiKeys(@JsonProperty("enabled") boolean enabled, @JsonProperty("max_per_user") int maxPerUser) {
            this.enabled = enabled;
            this.maxPerUser = maxPerUser;
        }
    }

    public static final class AccountDeletion {
        static final AccountDeletion DEFAULTS = new AccountDeletion(null);

        /** {@code null}: derived (see {@link AppUsersSettings#accountDeletionAllowed}); true or false: an admin's choice. */
        @JsonProperty("enabled")
        public final Boolean enabled;

        @JsonCreator
        public AccountDeletion(@JsonProperty("enabled") Boolean enabled) {
            this.enabled = enabled;
        }
    }
}
