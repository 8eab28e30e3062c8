package io.github.appusers.common;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.util.JsonSerialization;
import org.keycloak.utils.KeycloakSessionUtil;

/**
 * Reads request bodies ourselves instead of letting JAX-RS bind them, so that oversized bodies,
 * broken JSON and wrong content types get our error shape instead of the container's.
 */
public final class JsonBodies {

    /**
     * What our JSON endpoints declare in {@code @Consumes}: every {@code application/} and
     * {@code text/} type, so that a wrong one reaches {@link #readJson} and gets our 415, rather
     * than the container's 415 without {@code error_description}. Not {@code multipart/}: with
     * it RESTEasy parses the body as a form before our code and a malformed one ends in a 500.
     */
    public static final String ANY_APPLICATION_TYPE = "application/*";
    public static final String ANY_TEXT_TYPE = "text/*";

    /** Bodies above this are refused before parsing; settings and identity bodies are tiny. */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    private JsonBodies() {
    }

    /** Reads a JSON object, refusing bodies over {@code maxBytes}, broken JSON and non-objects. */
    public static ObjectNode readObject(InputStream body, int maxBytes) {
        JsonNode node = readJson(body, maxBytes);
        if (!node.isObject()) {
            throw AppUsersError.invalidRequest("The request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    public static JsonNode readJson(InputStream body, int maxBytes) {
        requireJsonContentType();
        byte[] bytes = readCapped(body, maxBytes);
        if (bytes.length == 0) {
            throw AppUsersError.invalidRequest("The request body is empty");
        }
        try {
            JsonNode node = JsonSerialization.mapper.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw AppUsersError.invalidRequest("The request body is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw AppUsersError.invalidRequest("The request body is not valid JSON");
        } catch (IOException e) {
            throw AppUsersError.invalidRequest("The request body could not be read");
        }
    }

    /**
     * JSON or a {@code +json} type (merge patches), and nothing else: no type at all is refused
     * too, since a cross-site {@code fetch} with a Blob body sends none and needs no preflight,
     * and neither do {@code text/plain} or form bodies. The raw header is read, as parsing a
     * malformed one would throw.
     */
    private static void requireJsonContentType() {
        KeycloakSession session = KeycloakSessionUtil.getKeycloakSession();
        String header = session == null ? null
                : session.getContext().getRequestHeaders().getHeaderString(HttpHeaders.CONTENT_TYPE);
        String type = header == null ? "" : header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals(MediaType.APPLICATION_JSON) && !(type.startsWith("application/") && type.endsWith("+json"))) {
            throw new AppUsersError(Response.Status.UNSUPPORTED_MEDIA_TYPE, ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
                    "The request body must be JSON (Content-Type: application/json)");
        }
    }

    /** Reads at most {@code maxBytes}; one byte more means the body is too large. */
    public static byte[] readCapped(InputStream body, int maxBytes) {
        if (body == null) {
            return new byte[0];
        }
        try (InputStream in = body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) != -1) {
                out.write(buffer, 0, read);
                if (out.size() > maxBytes) {
                    throw new AppUsersError(Response.Status.REQUEST_ENTITY_TOO_LARGE, ErrorCodes.PAYLOAD_TOO_LARGE,
                            "The request body is larger than " + maxBytes + " bytes");
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw AppUsersError.invalidRequest("The request body could not be read");
        }
    }
}
