// keycloak-app-users demo app: plain JavaScript, no libraries, no build step.
// It shows what an app does with the extension: OIDC login with PKCE (guests too), several users
// on one device with switching (like Realm's app.allUsers / app.switchUser), token refresh, and
// the /realms/{realm}/app-users REST API (linking, custom data, functions, API keys).
'use strict';

const ACCOUNTS_KEY = 'demoApp.accounts';   // localStorage: {userId: account} for every logged-in user
const ACTIVE_KEY = 'demoApp.active';       // localStorage: the active user's id
const PENDING_LOGIN_KEY = 'demoApp.login'; // sessionStorage: state and PKCE verifier of a login under way
const REDIRECT_URI = location.origin + location.pathname;

let config;        // {keycloak_url, realm, client_id}, from config.json (served next to this file)
let oidcUrl;       // .../realms/{realm}/protocol/openid-connect
let appUsersUrl;   // .../realms/{realm}/app-users
let refreshTimer;
let refreshCount = 0;
const refreshing = {}; // userId -> the refresh under way, so a timer and a call never refresh twice at once
let customDataEtag = null;

const $ = (id) => document.getElementById(id);

// --- storage: one entry per logged-in user -------------------------------------------------

function loadAccounts() {
  return JSON.parse(localStorage.getItem(ACCOUNTS_KEY) || '{}');
}

function saveAccount(account) {
  const accounts = loadAccounts();
  accounts[account.id] = account;
  localStorage.setItem(ACCOUNTS_KEY, JSON.stringify(accounts));
}

function removeAccount(id) {
  const accounts = loadAccounts();
  delete accounts[id];
  localStorage.setItem(ACCOUNTS_KEY, JSON.stringify(accounts));
  if (localStorage.getItem(ACTIVE_KEY) === id) {
    // Like Realm after removeUser: another logged-in user (if any) becomes the active one.
    const next = Object.keys(accounts)[0];
    if (next) {
      localStorage.setItem(ACTIVE_KEY, next);
    } else {
      localStorage.removeItem(ACTIVE_KEY);
    }
  }
}

function activeAccount() {
  const id = localStorage.getItem(ACTIVE_KEY);
  return id ? loadAccounts()[id] || null : null;
}

function decodeJwt(jwt) {
  const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** An account from a token response. Expiry is kept on this device's clock (expires_in), not the server's. */
function accountFromTokens(tokens, previous) {
  const claims = decodeJwt(tokens.access_token);
  return {
    id: claims.sub,
    label: claims.is_anonymous ? 'guest' : (claims.email || claims.preferred_username || claims.sub),
    anonymous: claims.is_anonymous === true,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token || previous?.refreshToken,
    idToken: tokens.id_token || previous?.idToken,
    issuedAt: Date.now(),
    expiresAt: Date.now() + tokens.expires_in * 1000,
  };
}

// --- OIDC: authorization code flow with PKCE -----------------------------------------------

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

async function startLogin(guest) {
  const verifier = randomString();
  const state = randomString();
  sessionStorage.setItem(PENDING_LOGIN_KEY, JSON.stringify({ state, verifier }));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const params = new URLSearchParams({
    client_id: config.client_id,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    // offline_access: each user's session lives in its refresh token, not in Keycloak's browser
    // cookie, so the cookie session can be ended right after login (see finishLogin) and the next
    // login on this browser can be another user.
    scope: 'openid offline_access',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  if (guest) {
    params.set('anonymous', 'true'); // the extension signs a guest in without showing the login page
  }
  location.assign(`${oidcUrl}/auth?${params}`);
}

async function finishLogin(query) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_LOGIN_KEY) || 'null');
  sessionStorage.removeItem(PENDING_LOGIN_KEY);
  history.replaceState(null, '', REDIRECT_URI); // the code is single-use: keep it out of the history
  if (query.has('error')) {
    throw new Error(`Login did not complete: ${query.get('error_description') || query.get('error')}`);
  }
  if (!pending || query.get('state') !== pending.state) {
    throw new Error('This login answer does not belong to a login started here (state mismatch)');
  }
  const tokens = await tokenRequest({
    grant_type: 'authorization_code',
    code: query.get('code'),
    redirect_uri: REDIRECT_URI,
    code_verifier: pending.verifier,
  });
  const account = accountFromTokens(tokens);
  saveAccount(account);
  localStorage.setItem(ACTIVE_KEY, account.id);
  // Keycloak lets a browser hold one SSO session, and logging in another user while it lasts is
  // refused ("already authenticated as different user"). End it now: the offline refresh token
  // keeps this user logged in, and the next login starts fresh.
  location.assign(`${oidcUrl}/logout?${new URLSearchParams({
    client_id: config.client_id,
    id_token_hint: tokens.id_token,
    post_logout_redirect_uri: REDIRECT_URI,
  })}`);
}

async function tokenRequest(form) {
  const response = await fetch(`${oidcUrl}/token`, {
    method: 'POST',
    body: new URLSearchParams({ client_id: config.client_id, ...form }),
  });
  const body = await response.json();
  if (!response.ok) {
    throw new ApiError(response.status, body);
  }
  return body;
}

/** How long before expiry to refresh: 30 s, or a third of the lifetime for short-lived tokens. */
function refreshMargin(account) {
  return Math.min(30000, (account.expiresAt - account.issuedAt) / 3);
}

function refresh(id) {
  refreshing[id] = refreshing[id] || (async () => {
    const account = loadAccounts()[id];
    if (!account) {
      return;
    }
    try {
      const tokens = await tokenRequest({ grant_type: 'refresh_token', refresh_token: account.refreshToken });
      if (!loadAccounts()[id]) {
        // Logged out while this refresh was on its way: do not bring the account back.
        return;
      }
      saveAccount(accountFromTokens(tokens, account));
      refreshCount++;
    } catch (error) {
      if (error.status === 400 && error.body?.error === 'invalid_grant') {
        // The session is gone (logged out elsewhere, user deleted, expired): the user is logged out here too.
        removeAccount(id);
        render();
        await onActiveUserChanged();
      }
      throw error;
    } finally {
      delete refreshing[id];
    }
    render();
    scheduleRefresh();
  })();
  return refreshing[id];
}

async function freshAccessToken(account) {
  if (Date.now() >= account.expiresAt - refreshMargin(account)) {
    await refresh(account.id);
    return loadAccounts()[account.id].accessToken;
  }
  return account.accessToken;
}

/** Only the active user's token is kept fresh; the others are refreshed when switched to. */
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  const account = activeAccount();
  if (account) {
    const due = account.expiresAt - refreshMargin(account) - Date.now();
    refreshTimer = setTimeout(() => refresh(account.id).catch(showError), Math.max(due, 0));
  }
}

async function logOut(id) {
  const account = loadAccounts()[id];
  removeAccount(id);
  try {
    // Ends this user's (offline) session in Keycloak: its refresh token stops working.
    const response = await fetch(`${oidcUrl}/logout`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: config.client_id, refresh_token: account.refreshToken }),
    });
    showStatus(response.ok ? `Logged out ${account.label} (${id})` : `Removed ${id} here; Keycloak answered ${response.status}`);
  } finally {
    render();
    await onActiveUserChanged();
  }
}

// --- the app-users REST API, as the active user ----------------------------------------------

class ApiError extends Error {
  constructor(status, body) {
    super(`${status} ${body?.error || ''}: ${body?.error_description || ''}`);
    this.status = status;
    this.body = body;
  }
}

async function api(method, path, { body, contentType = 'application/json', ifMatch } = {}, retried = false) {
  const account = activeAccount();
  if (!account) {
    throw new Error('No user is logged in');
  }
  const headers = { Authorization: `Bearer ${await freshAccessToken(account)}` };
  if (body !== undefined) {
    headers['Content-Type'] = contentType;
  }
  if (ifMatch) {
    headers['If-Match'] = ifMatch;
  }
  const response = await fetch(appUsersUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  $('log').textContent = `${method} ${path} -> ${response.status}\n${text ? JSON.stringify(data, null, 2) : ''}`;
  if (response.status === 401 && data?.error === 'invalid_token' && !retried) {
    // Revoked or expired early (e.g. after a server restart): refresh once and try again.
    await refresh(account.id);
    return api(method, path, { body, contentType, ifMatch }, true);
  }
  if (!response.ok) {
    throw new ApiError(response.status, data);
  }
  return { data, etag: response.headers.get('ETag') };
}

async function loadMe() {
  const { data: me } = await api('GET', '/me');
  $('me').textContent = JSON.stringify(me, null, 2);
  $('me').dataset.userId = me.id;
  $('me').dataset.anonymous = String(me.is_anonymous);
  return me;
}

async function linkEmailPassword() {
  const { data } = await api('POST', '/me/identities', {
    body: { type: 'email-password', email: $('link-email').value, password: $('link-password').value },
  });
  if (data?.status === 'pending-confirmation') {
    // 202: the address waits for its confirmation link; the identity (and the upgrade) come then.
    showStatus(`Confirmation email sent to ${data.id}: the link in it completes the upgrade`);
    return;
  }
  // is_anonymous is false from the next token on: refresh now so the token (and the label) say so.
  await refresh(activeAccount().id);
  await loadMe();
  showStatus('Linked: the user is no longer anonymous (same id, same data)');
}

async function loadCustomData() {
  const { data, etag } = await api('GET', '/me/custom-data');
  showCustomData(data, etag);
}

function showCustomData(data, etag) {
  $('custom-data').value = JSON.stringify(data, null, 2);
  customDataEtag = etag;
  $('custom-data-etag').textContent = etag || '';
}

async function writeCustomData(method) {
  let body;
  try {
    body = JSON.parse($('custom-data').value);
  } catch (e) {
    throw new Error('The custom data is not valid JSON');
  }
  const contentType = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  const { data, etag } = await api(method, '/me/custom-data', { body, contentType, ifMatch: customDataEtag });
  showCustomData(data, etag);
  showStatus(`Custom data saved (${etag})`);
}

async function callHello() {
  const { data } = await api('POST', '/functions/hello', { body: { name: $('function-arg').value } });
  $('function-result').textContent = JSON.stringify(data, null, 2);
}

async function createApiKey() {
  const { data } = await api('POST', '/me/api-keys', { body: { name: $('api-key-name').value } });
  $('api-key-created').textContent = `Key "${data.name}" (shown only now):\n${data.key}`;
  await listApiKeys();
}

async function listApiKeys() {
  const { data: keys } = await api('GET', '/me/api-keys');
  const list = $('api-keys');
  list.replaceChildren(...keys.map((key) => {
    const item = document.createElement('li');
    item.dataset.keyId = key.id;
    item.dataset.enabled = String(key.enabled);
    item.append(`${key.name} (${key.enabled ? 'enabled' : 'disabled'}) `);
    item.append(button(key.enabled ? 'Disable' : 'Enable', 'toggle',
      () => api('POST', `/me/api-keys/${encodeURIComponent(key.id)}/${key.enabled ? 'disable' : 'enable'}`).then(listApiKeys)));
    item.append(button('Delete', 'delete',
      () => api('DELETE', `/me/api-keys/${encodeURIComponent(key.id)}`).then(listApiKeys)));
    return item;
  }));
}

// --- the page ---------------------------------------------------------------------------------

function button(text, className, action) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  element.className = className;
  element.addEventListener('click', () => run(action));
  return element;
}

function showStatus(message, error = false) {
  $('status').textContent = message;
  $('status').className = error ? 'error' : '';
}

function showError(error) {
  let message = error.message;
  if (error.body?.error === 'requires_recent_login') {
    message += ' (log this user in again; a guest cannot, so link right after signing in)';
  }
  showStatus(message, true);
}

/** Runs a button's action and shows its outcome; errors never escape unhandled. */
function run(action) {
  showStatus('');
  return Promise.resolve().then(action).catch(showError);
}

function render() {
  const accounts = loadAccounts();
  const active = localStorage.getItem(ACTIVE_KEY);
  $('accounts').replaceChildren(...Object.values(accounts).map((account) => {
    const item = document.createElement('li');
    item.dataset.userId = account.id;
    item.className = account.id === active ? 'active' : '';
    item.append(`${account.label} `, Object.assign(document.createElement('code'), { textContent: account.id }), ' ');
    if (account.id === active) {
      item.append('(active) ');
    } else {
      item.append(button('Switch', 'switch', () => switchTo(account.id)));
    }
    item.append(button('Log out', 'logout', () => logOut(account.id)));
    return item;
  }));
  $('no-accounts').hidden = Object.keys(accounts).length > 0;
  const account = accounts[active];
  $('active-section').hidden = !account;
  $('active-user-id').textContent = account ? account.id : '';
  $('token-expiry').textContent = account ? new Date(account.expiresAt).toLocaleTimeString() : '';
  $('refresh-count').textContent = String(refreshCount);
}

async function switchTo(id) {
  localStorage.setItem(ACTIVE_KEY, id);
  render();
  await onActiveUserChanged();
}

/** Clears what belonged to the previous user and loads the new one's. */
async function onActiveUserChanged() {
  scheduleRefresh();
  for (const id of ['me', 'function-result', 'api-key-created', 'log']) {
    $(id).textContent = '';
  }
  delete $('me').dataset.userId;
  $('api-keys').replaceChildren();
  showCustomData({}, null);
  if (activeAccount()) {
    const me = await loadMe();
    await loadCustomData();
    if (!me.is_anonymous) {
      await listApiKeys();
    }
  }
}

async function main() {
  config = await (await fetch('config.json')).json();
  const realmUrl = `${config.keycloak_url}/realms/${encodeURIComponent(config.realm)}`;
  oidcUrl = `${realmUrl}/protocol/openid-connect`;
  appUsersUrl = `${realmUrl}/app-users`;

  $('login-guest').addEventListener('click', () => run(() => startLogin(true)));
  $('login').addEventListener('click', () => run(() => startLogin(false)));
  $('me-load').addEventListener('click', () => run(loadMe));
  $('link-submit').addEventListener('click', () => run(linkEmailPassword));
  $('custom-data-load').addEventListener('click', () => run(loadCustomData));
  $('custom-data-save').addEventListener('click', () => run(() => writeCustomData('PUT')));
  $('custom-data-patch').addEventListener('click', () => run(() => writeCustomData('PATCH')));
  $('function-call').addEventListener('click', () => run(callHello));
  $('api-key-create').addEventListener('click', () => run(createApiKey));
  $('api-key-list').addEventListener('click', () => run(listApiKeys));
  // Another tab logged a user in or out: show the same list here.
  window.addEventListener('storage', render);

  const query = new URLSearchParams(location.search);
  if (query.has('code') || query.has('error')) {
    await finishLogin(query); // ends with a redirect, unless it throws
    return;
  }
  render();
  await onActiveUserChanged();
}

run(main).finally(() => { document.body.dataset.ready = 'true'; });
