<#-- The page a confirmation email links to when the realm names no confirmation_url: one button,
     so that mail scanners opening the link confirm nothing. -->
<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<@layout.registrationLayout displayMessage=true; section>
    <#if section = "header">
        ${msg("appUsersConfirmTitle")}
    <#elseif section = "form">
        <form id="app-users-confirm" action="${url.loginAction}" method="post">
            <input type="hidden" name="token" value="${appUsersToken}"/>
            <input type="hidden" name="token_id" value="${appUsersTokenId}"/>
            <p>${msg("appUsersConfirmText")}</p>
            <@buttons.actionGroup>
                <@buttons.button id="app-users-confirm-button" name="confirm" label="appUsersConfirmButton" />
            </@buttons.actionGroup>
        </form>
    </#if>
</@layout.registrationLayout>
