package io.github.appusers.common;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * What our claim mappers share: the token kinds they can serve, Keycloak's "include in" switches
 * as their configuration, and the model the {@code app-users} client scope holds.
 */
public abstract class ClaimMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper, TokenIntrospectionTokenMapper {

    private final List<ProviderConfigProperty> config = new ArrayList<>();

    protected ClaimMapper() {
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(config, getClass());
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return config;
    }

    /**
     * The mapper as the {@code app-users} client scope holds it. Realm setup adds the model of every
     * claim mapper the server has, so a feature brings its claim by shipping its mapper.
     */
    public abstract ProtocolMapperModel scopeModel();

    /** The mapper model named after its claim: in ID tokens, userinfo and introspection, and optionally access tokens. */
    protected static ProtocolMapperModel model(String providerId, String claim, boolean inAccessToken) {
        ProtocolMapperModel mapper = new ProtocolMapperModel();
        mapper.setName(claim);
        mapper.setProtocolMapper(providerId);
        mapper.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        Map<String, String> settings = new HashMap<>();
        if (inAccessToken) {
            settings.put(OIDCAttributeMapperHelper.INCLUDE_IN_ACCESS_TOKEN, "true");
        }
        settings.put(OIDCAttributeMapperHelper.INCLUDE_IN_ID_TOKEN, "true");
        settings.put(OIDCAttributeMapperHelper.INCLUDE_IN_USERINFO, "true");
        settings.put(OIDCAttributeMapperHelper.INCLUDE_IN_INTROSPECTION, "true");
        mapper.setConfig(settings);
        return mapper;
    }
}
