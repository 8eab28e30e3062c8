package io.github.appusers.apikeys;

import io.github.appusers.signin.AppUsersGrantTypeFactory;

/** {@code grant_type=urn:app-users:grant-type:api-key}: Login with an API key. */
public class ApiKeyGrantTypeFactory extends AppUsersGrantTypeFactory {

    public static final String GRANT_TYPE = "urn:app-users:grant-type:api-key";

    public ApiKeyGrantTypeFactory() {
        super(GRANT_TYPE, "Xk", ApiKeyGrantType::new);
    }
}
