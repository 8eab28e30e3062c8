package io.github.appusers.setup;

import io.github.appusers.common.FeatureEntities;

/**
 * The Liquibase changelog of every table of the extension (the features register their entities
 * themselves). Its id is the one the tables were created under: Keycloak records applied changes
 * in a changelog table named after it.
 */
public class AppUsersSchema extends FeatureEntities {

    public AppUsersSchema() {
        super("app-users-entities", "META-INF/app-users-changelog-master.xml");
    }
}
