package io.github.appusers.emailpassword;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * The email/password rules, for linking an email/password identity to an existing user: the same
 * checks as registration, the same confirmation workflow before the password can log in.
 */
public final class EmailPasswordLinks {

    private EmailPasswordLinks() {
    }

    public static String email(JsonNode request) {
        return EmailPasswordAccounts.email(request);
    }

    /** The request's password, checked against the 6–128 rule and the realm's policy. */
    public static String password(KeycloakSession session, JsonNode request, String email) {
        String password = EmailPasswordAccounts.text(request, "password", 1024);
        new EmailPasswordAccounts(session, session.getContext().getRealm()).checkPassword(email, password);
        return password;
    }

    /** Sets the password, then runs the realm's confirmation workflow for the address. */
    public static void setPasswordAndConfirm(KeycloakSession session, RealmModel realm, UserModel user, String password) {
        user.credentialManager().updateCredential(UserCredentialModel.password(password, false));
        EmailPasswordAccounts accounts = new EmailPasswordAccounts(session, realm);
        new ConfirmationWorkflow(session, realm, accounts.settings()).run(user);
    }

    public static void removePassword(UserModel user) {
        user.credentialManager().getStoredCredentialsByTypeStream(PasswordCredentialModel.TYPE)
                .map(CredentialModel::getId).toList()
                .forEach(id -> user.credentialManager().removeStoredCredentialById(id));
    }
}
