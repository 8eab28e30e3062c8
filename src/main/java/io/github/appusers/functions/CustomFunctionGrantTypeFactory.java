package io.github.appusers.functions;

import io.github.appusers.signin.AppUsersGrantTypeFactory;

/** {@code grant_type=urn:app-users:grant-type:custom-function}: Login through the realm's login function. */
public class CustomFunctionGrantTypeFactory extends AppUsersGrantTypeFactory {

    public static final String GRANT_TYPE = "urn:app-users:grant-type:custom-function";

    public CustomFunctionGrantTypeFactory() {
        super(GRANT_TYPE, "Xf", CustomFunctionGrantType::new);
    }
}
