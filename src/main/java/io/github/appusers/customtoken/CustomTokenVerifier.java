package io.github.appusers.customtoken;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import javax.crypto.spec.SecretKeySpec;

import io.github.appusers.common.UrlPolicy;
import io.github.appusers.settings.AppUsersSettings;
import io.github.appusers.settings.SettingsSecrets;
import org.keycloak.TokenVerifier;
import org.keycloak.common.VerificationException;
import org.keycloak.common.util.Time;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.AsymmetricSignatureVerifierContext;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.crypto.MacSignatureVerifierContext;
import org.keycloak.jose.jwk.JWK;
import org.keycloak.jose.jws.JWSHeader;
import org.keycloak.keys.PublicKeyStorageProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.utils.JWKSHttpUtils;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.util.JWKSUtils;

/**
 * Verifies an external JWT with Keycloak's own TokenVerifier and key handling: RS256 against the
 * realm's JWKS URL (keys cached and reloaded on an unknown kid by Keycloak's public key storage,
 * as for identity providers), or HS256 with the realm's secret. The algorithm is pinned by the
 * configuration, never taken from the token. Trust is explicit: the realm must name the issuer and
 * the audience; {@code typ}, when present, must be {@code JWT} (so an access token or an ID token
 * of some other kind is not taken for a login token); {@code exp} and {@code iat} are required,
 * a token issued longer ago than {@code max_age_seconds} is refused, and not-before is honoured,
 * all with a small clock skew.
 */
final class CustomTokenVerifier {

    static final int CLOCK_SKEW_SECONDS = 30;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AppUsersSettings.CustomToken settings;

    CustomTokenVerifier(KeycloakSession session, RealmModel realm, AppUsersSettings.CustomToken settings) {
        this.session = session;
        this.realm = realm;
        this.settings = settings;
    }

    JsonWebToken verify(String token) throws VerificationException {
        if (settings.issuer == null || settings.audience == null) {
            throw new VerificationException("the realm's custom_token settings name no issuer or no audience");
        }
        if (token == null || token.isBlank() || token.length() > 16 * 1024) {
            throw new VerificationException("token is missing or too long");
        }
        TokenVerifier<JsonWebToken> verifier = TokenVerifier.create(token, JsonWebToken.class)
                .checkTokenType(false)
                .withChecks(this::issuerMatches, this::audienceMatches, this::isCurrent,
                        t -> t.getSubject() != null && !t.getSubject().isBlank() && t.getSubject().length() <= 255
                                || fail("token has no usable sub"));
        JWSHeader header = verifier.getHeader();
        if (header.getType() != null && !"JWT".equalsIgnoreCase(header.getType())) {
            throw new VerificationException("token type (typ) must be JWT");
        }
        String algorithm = header.getAlgorithm() == null ? "none" : header.getAlgorithm().name();
        // One algorithm, from the configuration: HS256 only where the realm names no JWKS.
        Optional<String> hs256Secret = Algorithm.HS256.equals(algorithm) && settings.jwksUrl == null
                ? new SettingsSecrets(session, realm).hs256() : Optional.empty();
        if (settings.jwksUrl != null && Algorithm.RS256.equals(algorithm)) {
            verifier.verifierContext(new AsymmetricSignatureVerifierContext(publicKey(header.getKeyId())));
        } else if (hs256Secret.isPresent()) {
            KeyWrapper key = new KeyWrapper();
            key.setAlgorithm(Algorithm.HS256);
            key.setSecretKey(new SecretKeySpec(hs256Secret.get().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            verifier.verifierContext(new MacSignatureVerifierContext(key));
        } else {
            throw new VerificationException("algorithm " + algorithm + " is not accepted");
        }
        return verifier.verify().getToken();
    }

    private KeyWrapper publicKey(String kid) throws VerificationException {
        if (UrlPolicy.problem(settings.jwksUrl) != null) {
            throw new VerificationException("the realm's custom_token.jwks_url is not an https URL");
        }
        String modelKey = "app-users-custom-token::" + realm.getId() + "::" + settings.jwksUrl;
        KeyWrapper key = session.getProvider(PublicKeyStorageProvider.class).getPublicKey(modelKey, kid, Algorithm.RS256,
                () -> JWKSUtils.getKeyWrappersForUse(JWKSHttpUtils.sendJwksRequest(session, settings.jwksUrl),
                        JWK.Use.SIG, true));
        if (key == null) {
            throw new VerificationException("no key " + kid + " in the JWKS");
        }
        return key;
    }

    private boolean issuerMatches(JsonWebToken token) throws VerificationException {
        return settings.issuer.equals(token.getIssuer()) || fail("issuer does not match");
    }

    private boolean audienceMatches(JsonWebToken token) throws VerificationException {
        return token.hasAudience(settings.audience) || fail("audience does not match");
    }

    private boolean isCurrent(JsonWebToken token) throws VerificationException {
        long now = Time.currentTime();
        if (token.getExp() == null || token.getExp() + CLOCK_SKEW_SECONDS < now) {
            return fail("token is expired or has no exp");
        }
        if (token.getNbf() != null && token.getNbf() - CLOCK_SKEW_SECONDS > now) {
            return fail("token is not valid yet");
        }
        if (token.getIat() == null) {
            return fail("token has no iat");
        }
        if (token.getIat() - CLOCK_SKEW_SECONDS > now) {
            return fail("token is issued in the future");
        }
        if (now - token.getIat() > settings.maxAgeSeconds + CLOCK_SKEW_SECONDS) {
            return fail("token was issued more than " + settings.maxAgeSeconds + " seconds ago");
        }
        return true;
    }

    private static boolean fail(String why) throws VerificationException {
        throw new VerificationException(why);
    }
}
