package io.github.appusers.anonymous;

import io.github.appusers.signin.AppUsersGrantTypeFactory;

/** {@code grant_type=urn:app-users:grant-type:anonymous}: A new anonymous user, logged in. */
public class AnonymousGrantTypeFactory extends AppUsersGrantTypeFactory {

    public static final String GRANT_TYPE = "urn:app-users:grant-type:anonymous";

    public AnonymousGrantTypeFactory() {
        super(GRANT_TYPE, "Xa", AnonymousGrantType::new);
    }
}
