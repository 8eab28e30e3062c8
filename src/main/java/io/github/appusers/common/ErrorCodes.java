package io.github.appusers.common;

/** The error codes of our endpoints and grants (docs/rest-api.md lists them with their statuses). */
public final class ErrorCodes {

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_PAYLOAD = "invalid_payload";
    public static final String INVALID_TOKEN = "invalid_token";
    /** The password does not meet the realm's password policy. */
    public static final String INVALID_PASSWORD = "invalid_password";
    public static final String IDENTITY_IN_USE = "identity_in_use";
    public static final String LAST_IDENTITY = "last_identity";
    public static final String REQUIRES_RECENT_LOGIN = "requires_recent_login";
    public static final String NOT_ANONYMOUS = "not_anonymous";
    public static final String CONFIRMATION_REQUIRED = "confirmation_required";
    /** A confirmation of an address other registrations claim too needs the claim's password. */
    public static final String PASSWORD_REQUIRED = "password_required";
    public static final String TOKEN_EXPIRED = "token_expired";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
    public static final String FUNCTION_FAILED = "function_failed";
    public static final String FUNCTION_TIMEOUT = "function_timeout";
    public static final String PRECONDITION_FAILED = "precondition_failed";
    public static final String FEATURE_DISABLED = "feature_disabled";
    public static final String NOT_FOUND = "not_found";
    public static final String FORBIDDEN = "forbidden";
    /** A body that is not JSON by its Content-Type. */
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";

    private ErrorCodes() {
    }
}
