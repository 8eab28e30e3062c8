<#-- The page a confirmation email links to when the realm names no confirmation_url: one button,
     so that mail scanners opening the link confirm nothing. When other registrations claim the
     address too, the page comes back with a password field: only the claim's own password confirms it. -->
<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "buttons.ftl" as buttons>
<@layout.registrationLayout displayMessage=true; section>
    <#if section = "header">
        ${msg("appUsersConfirmTitle")}
    <#elseif section = "form">
        <form id="app-users-confirm" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <input type="hidden" name="token" value="${appUsersToken}"/>
            <input type="hidden" name="token_id" value="${appUsersTokenId}"/>
            <#if appUsersPasswordRequired??>
                <p id="app-users-confirm-password-text">${msg("appUsersConfirmPasswordText")}</p>
                <@field.password name="password" label=msg("password") autocomplete="current-password" autofocus=true />
            <#else>
                <p>${msg("appUsersConfirmText")}</p>
            </#if>
            <@buttons.actionGroup>
                <@buttons.button id="app-users-confirm-button" name="confirm" label="appUsersConfirmButton" />
            </@buttons.actionGroup>
        </form>
    </#if>
</@layout.registrationLayout>
