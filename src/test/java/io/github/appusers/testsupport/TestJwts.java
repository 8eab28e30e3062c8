package io.github.appusers.testsupport;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** JWTs as an external system would issue them, signed with the JDK (test side only). */
public final class TestJwts {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private TestJwts() {
    }

    public static KeyPair rsaKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    public static String rs256(KeyPair keys, String kid, Map<String, Object> claims) throws Exception {
        return rs256(keys, AdminApi.map("alg", "RS256", "typ", "JWT", "kid", kid), claims);
    }

    /** RS256 with the given header as it is (a {@code typ} of one's choice, none...). */
    public static String rs256(KeyPair keys, Map<String, Object> header, Map<String, Object> claims) throws Exception {
        String signingInput = part(header) + "." + part(claims);
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(keys.getPrivate());
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64.encodeToString(signature.sign());
    }

    public static String hs256(String secret, Map<String, Object> claims) throws Exception {
        String signingInput = part(AdminApi.map("alg", "HS256", "typ", "JWT")) + "." + part(claims);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    /** An unsigned token ({@code alg: none}). */
    public static String none(Map<String, Object> claims) {
        return part(AdminApi.map("alg", "none", "typ", "JWT")) + "." + part(claims) + ".";
    }

    /** The public key as a JWK. */
    public static Map<String, Object> jwk(KeyPair keys, String kid) {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        return AdminApi.map("kty", "RSA", "kid", kid, "use", "sig", "alg", "RS256",
                "n", B64.encodeToString(unsigned(key.getModulus())), "e", B64.encodeToString(unsigned(key.getPublicExponent())));
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String part(Object json) {
        return B64.encodeToString(Api.toJson(json).getBytes(StandardCharsets.UTF_8));
    }
}
