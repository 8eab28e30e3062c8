package io.github.appusers.emailpassword;

import io.github.appusers.common.FeatureEntities;

/** The email token table's entity (confirmation and reset links, address claims). */
public class EmailTokenEntities extends FeatureEntities {

    public EmailTokenEntities() {
        super("app-users-email-token-entities", null, EmailTokenEntity.class);
    }
}
