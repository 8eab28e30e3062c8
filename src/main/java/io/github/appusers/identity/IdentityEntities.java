package io.github.appusers.identity;

import io.github.appusers.common.FeatureEntities;

/** The identity table's entity. */
public class IdentityEntities extends FeatureEntities {

    public IdentityEntities() {
        super("app-users-identity-entities", null, IdentityEntity.class);
    }
}
