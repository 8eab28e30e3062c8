package io.github.appusers.customtoken;

import io.github.appusers.signin.AppUsersGrantTypeFactory;

/** {@code grant_type=urn:app-users:grant-type:custom-token}: Login with an external JWT. */
public class CustomTokenGrantTypeFactory extends AppUsersGrantTypeFactory {

    public static final String GRANT_TYPE = "urn:app-users:grant-type:custom-token";

    public CustomTokenGrantTypeFactory() {
        super(GRANT_TYPE, "Xt", CustomTokenGrantType::new);
    }
}
