package io.github.appusers.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Direct SQL on the server's database, for what the API must not show (rows gone, values hashed)
 * and for making data look old without waiting.
 */
public final class Database {

    private Database() {
    }

    public static int update(String sql, Object... params) {
        return update(KeycloakServer.shared(), sql, params);
    }

    public static long count(String sql, Object... params) {
        return count(KeycloakServer.shared(), sql, params);
    }

    /** As {@link #update(String, Object...)}, on the database of the given server (a cluster node). */
    public static int update(KeycloakServer server, String sql, Object... params) {
        try (Connection connection = server.openDatabase();
                PreparedStatement statement = prepare(connection, sql, params)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static long count(KeycloakServer server, String sql, Object... params) {
        try (Connection connection = server.openDatabase();
                PreparedStatement statement = prepare(connection, sql, params);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            statement.setObject(i + 1, params[i]);
        }
        return statement;
    }
}
