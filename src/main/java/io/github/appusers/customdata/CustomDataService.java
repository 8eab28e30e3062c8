package io.github.appusers.customdata;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.common.NulChars;
import io.github.appusers.common.UserProfileAttributes;
import io.github.appusers.settings.AppUsersSettings;
import io.github.appusers.settings.SettingsStore;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The semantics shared by the user's and the admin's endpoints: PUT replaces, PATCH merges
 * (RFC 7396), {@code If-Match} makes a write conditional, the size limit applies to the result,
 * and a write that lost a race is never silently lost (412, or a retry for an unconditional
 * PATCH, which re-applies the patch to what the winner wrote).
 */
final class CustomDataService {

    private static final int UNCONDITIONAL_PATCH_TRIES = 5;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AppUsersSettings.CustomData settings;
    private final CustomDataStore store;

    CustomDataService(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.settings = SettingsStore.read(realm).customData;
        this.store = new CustomDataStore(session);
    }

    CustomDataStore.Document read(UserModel user) {
        return store.read(user);
    }

    CustomDataStore.Document put(UserModel user, JsonNode body, String ifMatch) {
        ObjectNode replacement = requireObject(body);
        CustomDataStore.Document current = store.read(user);
        checkPrecondition(current, ifMatch);
        return write(user, current, replacement);
    }

    CustomDataStore.Document patch(UserModel user, JsonNode patch, String ifMatch) {
        requireObject(patch);
        for (int attempt = 0; ; attempt++) {
            CustomDataStore.Document current = attempt == 0 ? store.read(user) : store.reread(user);
            checkPrecondition(current, ifMatch);
            ObjectNode patched = (ObjectNode) MergePatch.apply(current.data(), patch);
            checkSize(patched);
            if (store.compareAndSet(realm, user, current.version(), patched)) {
                copyToAttributes(user, patched);
                return new CustomDataStore.Document(patched, current.version() + 1);
            }
            // Lost a race. With If-Match the client asked for exactly that version; a first insert
            // cannot be retried in this transaction; otherwise re-apply to the winner's document.
            if (ifMatch != null || current.version() == 0 || attempt >= UNCONDITIONAL_PATCH_TRIES) {
                throw preconditionFailed();
            }
        }
    }

    private CustomDataStore.Document write(UserModel user, CustomDataStore.Document current, ObjectNode data) {
        checkSize(data);
        if (!store.compareAndSet(realm, user, current.version(), data)) {
            throw preconditionFailed();
        }
        copyToAttributes(user, data);
        return new CustomDataStore.Document(data, current.version() + 1);
    }

    private static ObjectNode requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw AppUsersError.invalidRequest("custom data must be a JSON object");
        }
        return (ObjectNode) body;
    }

    private static void checkPrecondition(CustomDataStore.Document current, String ifMatch) {
        if (ifMatch == null || ifMatch.trim().equals("*") && current.version() > 0) {
            return;
        }
        // If-Match compares strongly (RFC 9110 13.1.1): a weak tag (W/"...") never matches.
        for (String tag : ifMatch.split(",")) {
            if (tag.trim().equals(current.etag())) {
                return;
            }
        }
        throw preconditionFailed();
    }

    private void checkSize(ObjectNode data) {
        if (CustomDataStore.size(data) > settings.maxBytes) {
            throw new AppUsersError(413, ErrorCodes.PAYLOAD_TOO_LARGE,
                    "custom data may be at most " + settings.maxBytes + " bytes as JSON");
        }
    }

    /**
     * The admin's option: chosen top-level fields mirrored into user attributes, for user search.
     * Only into attributes the user profile still lets users edit (it may have changed since the
     * settings were saved): custom data is user-written and must not set an attribute that the
     * profile keeps from users.
     */
    private void copyToAttributes(UserModel user, ObjectNode data) {
        List<String> fields = settings.copyToAttributes;
        UserProfileAttributes profile = new UserProfileAttributes(session, realm);
        for (String field : fields) {
            if (!profile.userEditable(field)) {
                continue;
            }
            JsonNode value = data.get(field);
            if (value == null || value.isNull() || value.isContainerNode() || NulChars.in(value.asText())) {
                // Attributes are database text: a NUL character cannot be stored there.
                user.removeAttribute(field);
            } else {
                user.setSingleAttribute(field, value.asText());
            }
        }
    }

    private static AppUsersError preconditionFailed() {
        return new AppUsersError(412, ErrorCodes.PRECONDITION_FAILED,
                "The custom data changed since it was read; read it again (ETag) and retry");
    }
}
