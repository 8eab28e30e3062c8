<#-- The page a reset email links to when the realm names no reset_url. -->
<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "buttons.ftl" as buttons>
<@layout.registrationLayout displayMessage=true; section>
    <#if section = "header">
        ${msg("appUsersResetTitle")}
    <#elseif section = "form">
        <form id="app-users-reset" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <input type="hidden" name="token" value="${appUsersToken}"/>
            <input type="hidden" name="token_id" value="${appUsersTokenId}"/>
            <@field.password name="password" label=msg("passwordNew") autocomplete="new-password" autofocus=true />
            <@field.password name="password-confirm" label=msg("passwordConfirm") autocomplete="new-password" />
            <@buttons.actionGroup>
                <@buttons.button id="app-users-reset-button" name="reset" label="appUsersResetButton" />
            </@buttons.actionGroup>
        </form>
    </#if>
</@layout.registrationLayout>
