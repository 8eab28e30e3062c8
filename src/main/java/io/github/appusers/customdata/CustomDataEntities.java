package io.github.appusers.customdata;

import io.github.appusers.common.FeatureEntities;

/** The custom data table's entity. */
public class CustomDataEntities extends FeatureEntities {

    public CustomDataEntities() {
        super("app-users-custom-data-entities", null, CustomDataEntity.class);
    }
}
