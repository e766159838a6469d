// The "your devices" page: sign in, list the devices, rename them and sign them out.
import { agentElement, deviceNameElement, keyBoundElement, timeElement } from './format.js';
import { api, cell, current, describe, el, resume, say, signIn, signOut, whenSignedOut } from './session.js';

const form = document.getElementById('sign-in');
const section = document.getElementById('devices');
const rows = section.querySelector('tbody');
const who = document.getElementById('who');
const adminLink = document.getElementById('admin-link');

whenSignedOut(() => {
  showSignIn();
  say('You were signed out. Sign in again.', 'error');
});

function showSignIn() {
  section.hidden = true;
  who.hidden = true;
  adminLink.hidden = true;
  form.hidden = false;
  document.getElementById('username').focus();
}

async function showDevices() {
  form.hidden = true;
  form.reset();
  who.textContent = `Signed in as ${current().username}`;
  who.hidden = false;
  // Only a convenience: the admin API refuses anyone else.
  adminLink.hidden = !current().isAdmin;
  section.hidden = false;
  await loadDevices();
}

// The server's own list, not the seed's GET /devices/: it adds key_bound, and the seed's answer stays the seed's.
async function loadDevices() {
  const response = await api('GET', '/me/devices/');
  if (!response.ok) {
    say(await describe(response), 'error');
    return;
  }
  const devices = await response.json();
  // The page's own device first, then the others by last use.
  devices.sort((a, b) => (b.id === current().deviceId) - (a.id === current().deviceId)
    || b.last_request_datetime.localeCompare(a.last_request_datetime));
  rows.replaceChildren(...devices.map(row));
  document.getElementById('sign-out-others').disabled = devices.length < 2;
}

function row(device) {
  const isCurrent = device.id === current().deviceId;
  const nameId = `device-${device.id}-name`;
  const name = el('td', { id: nameId, className: 'name' }, deviceNameElement(device));
  if (isCurrent) {
    name.append(' ', el('strong', { className: 'badge', textContent: 'This device' }));
  }
  if (device.key_bound) {
    name.append(el('br'), keyBoundElement(device.key_binding));
  }
  const renameButton = el('button', { type: 'button', className: 'secondary', textContent: 'Rename' });
  const signOutButton = el('button', { type: 'button', className: 'danger', textContent: 'Sign out' });
  for (const button of [signOutButton, renameButton]) {
    button.setAttribute('aria-describedby', nameId);
  }
  signOutButton.addEventListener('click', () => signOutDevice(device, isCurrent));
  renameButton.addEventListener('click', () => startRename(tr, device, renameButton));
  const tr = el('tr', {},
    name,
    cell('Details', device.details ? agentElement(device.details) : '—'),
    cell('Created', timeElement(device.created)),
    cell('Last seen', timeElement(device.last_request_datetime)),
    el('td', { className: 'buttons' }, renameButton, signOutButton));
  tr.dataset.deviceId = device.id;
  if (isCurrent) {
    tr.classList.add('current');
  }
  return tr;
}

function startRename(tr, device, renameButton) {
  const input = el('input', { id: `rename-${device.id}`, value: device.name, maxLength: 255, required: true });
  const renameForm = el('form', { className: 'rename' },
    el('label', { htmlFor: input.id, textContent: 'Device name' }), input,
    el('button', { type: 'submit', textContent: 'Save' }),
    el('button', { type: 'button', className: 'secondary', textContent: 'Cancel' }));
  renameForm.lastChild.addEventListener('click', () => { renameForm.remove(); renameButton.hidden = false; renameButton.focus(); });
  renameForm.addEventListener('submit', async event => {
    event.preventDefault();
    const response = await api('PATCH', `/devices/${device.id}/`, { name: input.value });
    if (!response.ok) {
      say(await describe(response), 'error');
      input.focus();
      return;
    }
    const renamed = await response.json();
    say(`Renamed to “${renamed.name}”.`);
    await loadDevices();
    rows.querySelector(`tr[data-device-id="${device.id}"] button`)?.focus();
  });
  renameButton.hidden = true;
  tr.querySelector('td.name').append(renameForm);
  input.focus();
  input.select();
}

async function signOutDevice(device, isCurrent) {
  try {
    if (isCurrent) {
      await signOut();
      showSignIn();
      say('You signed out.');
      return;
    }
    const response = await api('DELETE', `/devices/${device.id}/`);
    if (!response.ok && response.status !== 404) {
      say(await describe(response), 'error');
      return;
    }
    say(`Signed out “${device.name}”.`);
    await loadDevices();
    section.querySelector('h2').focus();
  } catch (error) {
    say(error.message, 'error');
  }
}

document.getElementById('sign-out-others').addEventListener('click', async () => {
  const response = await api('POST', '/device-logout-others/');
  if (!response.ok) {
    say(await describe(response), 'error');
    return;
  }
  say('All other devices are signed out.');
  await loadDevices();
});

form.addEventListener('submit', async event => {
  event.preventDefault();
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    await signIn(form.username.value, form.password.value);
    say('');
    await showDevices();
  } catch (error) {
    say(error instanceof TypeError ? 'The server cannot be reached. Check your connection and try again.' : error.message, 'error');
    form.password.focus();
  } finally {
    button.disabled = false;
  }
});

try {
  if (await resume()) {
    await showDevices();
  } else {
    showSignIn();
  }
} catch (error) {
  showSignIn();
  say(error instanceof TypeError ? 'The server cannot be reached. Check your connection and try again.' : error.message, 'error');
}
