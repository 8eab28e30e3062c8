package io.github.appusers.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Writes many idle anonymous users straight into the server's database, as Keycloak and our
 * identity table would hold them: for the purge benchmark and the purge's time budget, where
 * creating thousands through the grant would take minutes (other tests create users through the API).
 */
public final class StaleUsers {

    private static final int BATCH = 1000;

    private StaleUsers() {
    }

    public static void seed(KeycloakServer server, String realmId, int count, int idleDays) throws SQLException {
        long then = System.currentTimeMillis() - idleDays * 24L * 3600 * 1000;
        try (Connection connection = server.openDatabase();
                PreparedStatement user = connection.prepareStatement("INSERT INTO USER_ENTITY (ID, EMAIL_CONSTRAINT,"
                        + " EMAIL_VERIFIED, ENABLED, REALM_ID, USERNAME, CREATED_TIMESTAMP, NOT_BEFORE)"
                        + " VALUES (?, ?, FALSE, TRUE, ?, ?, ?, 0)");
                PreparedStatement identity = connection.prepareStatement("INSERT INTO APP_USERS_IDENTITY (ID,"
                        + " REALM_ID, USER_ID, PROVIDER_TYPE, PROVIDER_ID, CREATED_AT, LAST_USED_AT)"
                        + " VALUES (?, ?, ?, 'anon-user', ?, ?, ?)")) {
            connection.setAutoCommit(false);
            for (int i = 1; i <= count; i++) {
                String userId = UUID.randomUUID().toString();
                String anonymousId = UUID.randomUUID().toString();
                user.setString(1, userId);
                user.setString(2, userId);
                user.setString(3, realmId);
                user.setString(4, "anon-" + anonymousId);
                user.setLong(5, then);
                user.addBatch();
                identity.setString(1, UUID.randomUUID().toString());
                identity.setString(2, realmId);
                identity.setString(3, userId);
                identity.setString(4, anonymousId);
                identity.setLong(5, then);
                identity.setLong(6, then);
                identity.addBatch();
                if (i % BATCH == 0 || i == count) {
                    user.executeBatch();
                    identity.executeBatch();
                    connection.commit();
                }
            }
        }
    }
}
