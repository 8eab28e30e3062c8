package io.github.appusers.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.common.ConsoleTabComponent;
import io.github.appusers.common.ConsoleTabFactory;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * The "App users functions" tab in the admin console's realm settings (with
 * {@code --features=declarative-ui}). It edits the realm's functions (realm attributes
 * {@code app-users.function.<name>}); its component only mirrors them for the console to read.
 * A save validates every row the way {@code PUT .../app-users/functions/{name}} does, then adds,
 * updates and deletes functions so the realm has exactly the listed ones; the REST endpoints
 * refresh the mirror ({@link #refresh}).
 */
public final class FunctionsConsoleTab extends ConsoleTabFactory {

    /** Also the tab's title: the admin console shows a tab's provider id. */
    public static final String PROVIDER_ID = "App users functions";
    /** The tab's path segment: {@code #/{realm}/realm-settings/app-users-functions}. */
    public static final String TAB = "app-users-functions";

    public FunctionsConsoleTab() {
        super(PROVIDER_ID, TAB, "keycloak-app-users functions of this realm");
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return FunctionsForm.properties();
    }

    @Override
    protected void apply(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        FunctionRegistry registry = new FunctionRegistry(session, realm);
        FunctionsForm.Submission submission;
        try {
            submission = FunctionsForm.parse(model.getConfig());
        } catch (FunctionRegistry.InvalidFunctionException e) {
            throw ConsoleTabComponent.invalid(e.getMessage());
        }
        String secretFunction = submission.secretFunction() == null ? null : submission.secretFunction().trim();
        if (submission.secret() != null && secretFunction == null) {
            throw ConsoleTabComponent.invalid("name the function whose secret to set");
        }
        if (secretFunction != null && !submission.functions().containsKey(secretFunction)) {
            throw ConsoleTabComponent.invalid("no function '" + secretFunction + "' in the list to set the secret of");
        }
        if (secretFunction != null && submission.secret() == null) {
            throw ConsoleTabComponent.invalid("enter the new secret of function '" + secretFunction + "'");
        }

        // Everything is checked before anything is written: a refused save changes nothing.
        List<FunctionDefinition> wanted = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> entry : submission.functions().entrySet()) {
            ObjectNode request = entry.getValue();
            if (entry.getKey().equals(secretFunction)) {
                request.put("secret", submission.secret());
            }
            try {
                wanted.add(registry.validate(entry.getKey(), request));
            } catch (FunctionRegistry.InvalidFunctionException e) {
                throw ConsoleTabComponent.invalid("function '" + entry.getKey() + "': " + e.getMessage());
            }
        }
        Map<String, FunctionDefinition> current = registry.list().stream()
                .collect(Collectors.toMap(f -> f.name, Function.identity()));
        for (FunctionDefinition function : wanted) {
            if (!same(current.get(function.name), function)) {
                registry.store(function);
            }
        }
        current.keySet().stream()
                .filter(name -> !submission.functions().containsKey(name))
                .forEach(registry::remove);
        model.setConfig(FunctionsForm.toConfig(registry.list()));
    }

    /** Unchanged: same definition and no new secret. */
    private static boolean same(FunctionDefinition a, FunctionDefinition b) {
        return a != null && a.kind == b.kind && Objects.equals(a.url, b.url) && a.timeoutMs == b.timeoutMs
                && b.secret == null;
    }

    /** Makes the tab show the realm's current functions; {@code create}: also when it has no tab component yet. */
    public static void refresh(KeycloakSession session, RealmModel realm, boolean create) {
        ConsoleTabComponent.refresh(session, realm, PROVIDER_ID, FunctionsForm.toConfig(new FunctionRegistry(session, realm).list()),
                create);
    }

    @Override
    protected boolean hasData(RealmModel realm) {
        return realm.getAttributes().keySet().stream().anyMatch(name -> name.startsWith(FunctionRegistry.ATTRIBUTE_PREFIX));
    }

    @Override
    protected void refreshRealm(KeycloakSession session, RealmModel realm, boolean create) {
        refresh(session, realm, create);
    }
}
