// The page's session: a JWT kept in memory only, renewed before it expires through the page's own
// refresh endpoint, which reads the permanent token from an HttpOnly cookie scripts cannot see.

const pageHeaders = { 'X-JwtDevices-Page': '1' };
let session = null;
let timer = 0;
let onSignedOut = () => {};

/** Calls fn when the session ends without the user asking (the device was signed out elsewhere). */
export function whenSignedOut(fn) { onSignedOut = fn; }

export function current() { return session; }

function accept(answer) {
  // Renew at four fifths of the lifetime, so that a slow answer still arrives in time.
  const wait = Math.max(answer.expires_in * 0.8, 1) * 1000;
  session = {
    token: answer.token, deviceId: answer.device_id, username: answer.username, isAdmin: answer.is_admin,
    renewAt: Date.now() + wait,
  };
  clearTimeout(timer);
  timer = setTimeout(renew, wait);
}

function pagePost(path, body) {
  const init = { method: 'POST', credentials: 'same-origin', headers: { ...pageHeaders } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return fetch(path, init);
}

// One renewal at a time: the timer and an API call may both ask, and with rotation on the cookie's
// token may be presented only once.
let renewing = null;

function renew() {
  renewing ??= renewOnce().finally(() => { renewing = null; });
  return renewing;
}

// The refresh answers 204 when there is no session to renew: the cookie is gone, or its device has ended.
async function renewOnce() {
  try {
    const response = await pagePost('/page/session/refresh/');
    if (response.status === 204) {
      end();
      onSignedOut();
      return false;
    }
    if (response.ok) {
      accept(await response.json());
      return true;
    }
  } catch {
    // The network is down: try again shortly.
  }
  clearTimeout(timer);
  timer = setTimeout(renew, 10000);
  return false;
}

function end() {
  session = null;
  clearTimeout(timer);
}

/** Resumes the session of the cookie, if any. Throws a readable Error on an outage or a rate limit. */
export async function resume() {
  const response = await pagePost('/page/session/refresh/');
  if (response.status === 204) {
    return false;
  }
  if (response.ok) {
    accept(await response.json());
    return true;
  }
  if (response.status === 429 || response.status >= 500) {
    throw new Error(await describe(response));
  }
  return false;
}

/** Signs in; throws an Error whose message can be shown as it is. */
export async function signIn(username, password) {
  const response = await pagePost('/page/login/', { username, password });
  if (!response.ok) {
    throw new Error(await describe(response));
  }
  accept(await response.json());
}

/** Signs this page out: its device ends and the cookie is deleted. */
export async function signOut() {
  const response = await pagePost('/page/session/logout/');
  end();
  if (!response.ok) {
    throw new Error(await describe(response));
  }
}

/** Calls the API with the JWT; on a 401 it renews the JWT once and tries again. */
export async function api(method, path, body) {
  // A timer in a background tab may fire late: renew first rather than send a JWT about to expire.
  if (session && Date.now() >= session.renewAt && !(await renew()) && !session) {
    throw new Error('You are signed out.'); // the renewal has told the page already
  }
  for (let attempt = 0; ; attempt++) {
    if (!session) {
      onSignedOut();
      throw new Error('You are signed out.');
    }
    const init = { method, headers: { Accept: 'application/json', Authorization: 'JWT ' + session.token } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    if (response.status !== 401 || attempt > 0 || !(await renew())) {
      return response;
    }
  }
}

/** A sentence for a failed answer: never raw JSON. */
export async function describe(response) {
  let problem = {};
  try { problem = await response.json(); } catch { /* not JSON */ }
  switch (response.status) {
    case 429: {
      const wait = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
      return Number.isFinite(wait)
        ? `Too many attempts. Wait ${wait} second${wait === 1 ? '' : 's'} and try again.`
        : 'Too many attempts. Wait a while and try again.';
    }
    case 502: case 503: case 504:
      return 'The service is unavailable right now. Try again in a moment.';
    case 403:
      return problem.code === 'cross_site_request' ? 'The request was refused.' : 'You may not do this.';
    case 404:
      return 'That device no longer exists.';
  }
  switch (problem.code) {
    case 'invalid_credentials': return 'The username or password is wrong.';
    case 'required': return 'Enter your username and password.';
    case 'invalid_device_name': return 'A device name needs 1 to 255 characters and no control characters.';
    case 'inactive_user': return 'This account can no longer sign in.';
  }
  return response.status >= 500
    ? 'Something went wrong on the server. Try again in a moment.'
    : `The request failed (${response.status}).`;
}

/** Makes an element: el('td', {className: 'x'}, 'text', child). */
export function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter(c => c !== null && c !== undefined));
  return node;
}

/** A table cell labelled for the phone layout, where each row becomes a card. */
export function cell(label, ...children) {
  const td = el('td', {}, ...children);
  td.dataset.label = label;
  return td;
}

/** Shows a message in the page's live region; kind is 'error' or 'info'. */
export function say(text, kind = 'info') {
  const box = document.getElementById('message');
  box.textContent = text;
  box.className = kind;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.hidden = !text;
}
