<#-- Shown after a correct password while the registration is not confirmed yet. -->
<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<@layout.registrationLayout displayMessage=true; section>
    <#if section = "header">
        ${msg("appUsersPendingTitle")}
    <#elseif section = "form">
        <p id="app-users-pending-text">${msg("appUsersPendingText", appUsersEmail!'')}</p>
        <form id="app-users-pending" action="${url.loginAction}" method="post">
            <@buttons.actionGroup>
                <@buttons.button id="app-users-resend" name="resend" label="appUsersResendButton" type="secondary" />
                <@buttons.button id="app-users-continue" name="continue" label="appUsersConfirmedContinue" />
            </@buttons.actionGroup>
        </form>
    </#if>
</@layout.registrationLayout>
