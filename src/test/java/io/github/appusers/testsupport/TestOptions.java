package io.github.appusers.testsupport;

import java.util.ArrayList;
import java.util.List;

/** Settings of the test run, from system properties with defaults for this machine. */
final class TestOptions {

    private TestOptions() {
    }

    static String postgresHost() {
        return System.getProperty("it.postgres.host", "127.0.0.1");
    }

    static String postgresPort() {
        return System.getProperty("it.postgres.port", "5432");
    }

    static String postgresUser() {
        return System.getProperty("it.postgres.user", "postgres");
    }

    static String postgresDatabase() {
        return System.getProperty("it.postgres.database", "app_users_it");
    }

    static String postgresUrl() {
        return "jdbc:postgresql://" + postgresHost() + ":" + postgresPort() + "/" + postgresDatabase();
    }

    /** The maintenance database, from which the test database is dropped and created. */
    static String postgresAdminUrl() {
        return "jdbc:postgresql://" + postgresHost() + ":" + postgresPort() + "/postgres";
    }

    /** Extra {@code kc.sh start} options (space separated) for experiments: -Dit.keycloak.options=... */
    static List<String> serverOptions() {
        List<String> options = new ArrayList<>();
        String extra = System.getProperty("it.keycloak.options", "");
        for (String option : extra.trim().split("\\s+")) {
            if (!option.isBlank()) {
                options.add(option);
            }
        }
        return options;
    }
}
