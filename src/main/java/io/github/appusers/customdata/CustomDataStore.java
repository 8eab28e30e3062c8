package io.github.appusers.customdata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.common.NewUsers;
import jakarta.persistence.EntityManager;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.util.JsonSerialization;

/** Reads and writes custom data documents with compare-and-set on their version. */
public final class CustomDataStore {

    /** A document and its version (0 when the user has none yet). */
    public record Document(ObjectNode data, long version) {
        public String etag() {
            return "\"v" + version + "\"";
        }

        public boolean isEmpty() {
            return data.isEmpty();
        }
    }

    private final KeycloakSession session;
    private final EntityManager em;

    public CustomDataStore(KeycloakSession session) {
        this.session = session;
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    public Document read(UserModel user) {
        return read(user, false);
    }

    /** Reads again from the database, past this transaction's cache: after losing a race. */
    Document reread(UserModel user) {
        return read(user, true);
    }

    private Document read(UserModel user, boolean fresh) {
        if (!fresh && NewUsers.onlyIdentityType(session, user) != null) {
            return new Document(JsonSerialization.mapper.createObjectNode(), 0); // created in this request
        }
        CustomDataEntity entity = em.find(CustomDataEntity.class, user.getId());
        if (entity != null && fresh) {
            em.refresh(entity);
        }
        if (entity == null) {
            return new Document(JsonSerialization.mapper.createObjectNode(), 0);
        }
        return new Document(parse(entity.getData()), entity.getVersion());
    }

    /**
     * Stores {@code data} if the stored version is still {@code expectedVersion}; false when
     * another write came in between (the caller answers 412 or tries again).
     */
    public boolean compareAndSet(RealmModel realm, UserModel user, long expectedVersion, ObjectNode data) {
        NewUsers.forget(session, user.getId());
        String json = serialize(data);
        long now = System.currentTimeMillis();
        if (expectedVersion == 0) {
            CustomDataEntity entity = new CustomDataEntity();
            entity.setUserId(user.getId());
            entity.setRealmId(realm.getId());
            entity.setData(json);
            entity.setVersion(1);
            entity.setUpdatedAt(now);
            try {
                em.persist(entity);
                em.flush();
                return true;
            } catch (ModelDuplicateException | jakarta.persistence.PersistenceException e) {
                return false;
            }
        }
        int updated = em.createNamedQuery("appUsersCustomDataCompareAndSet")
                .setParameter("data", json)
                .setParameter("now", now)
                .setParameter("userId", user.getId())
                .setParameter("version", expectedVersion)
                .executeUpdate();
        if (updated == 1) {
            CustomDataEntity cached = em.find(CustomDataEntity.class, user.getId());
            if (cached != null) {
                em.refresh(cached);
            }
        }
        return updated == 1;
    }

    static int size(JsonNode data) {
        return serialize(data).getBytes(StandardCharsets.UTF_8).length;
    }

    private static String serialize(JsonNode data) {
        try {
            return JsonSerialization.mapper.writeValueAsString(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode parse(String json) {
        try {
            JsonNode node = JsonSerialization.mapper.readTree(json);
            return node != null && node.isObject() ? (ObjectNode) node : JsonSerialization.mapper.createObjectNode();
        } catch (IOException e) {
            return JsonSerialization.mapper.createObjectNode();
        }
    }
}
