package io.github.appusers.apikeys;

import io.github.appusers.common.FeatureEntities;

/** The API key table's entity. */
public class ApiKeyEntities extends FeatureEntities {

    public ApiKeyEntities() {
        super("app-users-api-key-entities", null, ApiKeyEntity.class);
    }
}
