// The admin page: every device with its user, searchable, filtered by last use, one page at a time.
import { agentElement, deviceNameElement, keyBoundElement, timeElement } from './format.js';
import { api, cell, current, describe, el, resume, say, whenSignedOut } from './session.js';

const sections = ['admin', 'refused', 'signed-out'];
const filters = document.getElementById('filters');
const rows = document.querySelector('#admin tbody');
let page = 1;

function show(id) {
  for (const section of sections) {
    document.getElementById(section).hidden = section !== id;
  }
}

whenSignedOut(() => show('signed-out'));

async function load() {
  const query = new URLSearchParams({ page: String(page) });
  for (const [name, value] of new FormData(filters)) {
    if (value) {
      query.set(name, value);
    }
  }
  const response = await api('GET', `/admin/devices/?${query}`);
  if (response.status === 403) {
    show('refused');
    return;
  }
  if (!response.ok) {
    say(await describe(response), 'error');
    return;
  }
  const answer = await response.json();
  show('admin');
  rows.replaceChildren(...answer.devices.map(row));
  const pages = Math.max(1, Math.ceil(answer.total / answer.page_size));
  document.getElementById('count').textContent = answer.total === 1 ? '1 device' : `${answer.total} devices`;
  document.getElementById('page').textContent = `Page ${answer.page} of ${pages}`;
  document.getElementById('previous').disabled = answer.page <= 1;
  document.getElementById('next').disabled = answer.page >= pages;
}

function row(device) {
  const userId = `admin-device-${device.id}-user`;
  const revoke = el('button', { type: 'button', className: 'danger', textContent: 'Revoke' });
  revoke.setAttribute('aria-describedby', userId);
  revoke.addEventListener('click', async () => {
    const response = await api('DELETE', `/admin/devices/${device.id}/`);
    if (!response.ok && response.status !== 404) {
      say(await describe(response), 'error');
      return;
    }
    say(`Revoked “${device.name}” of ${device.username}.`);
    await load();
  });
  return el('tr', {},
    el('td', { id: userId, className: 'user' },
      el('span', { textContent: device.username }), el('br'), el('small', { className: 'email', textContent: device.email })),
    cell('Device', device.key_bound
      ? el('span', {}, deviceNameElement(device), el('br'), keyBoundElement(device.key_binding))
      : deviceNameElement(device)),
    cell('Details', device.details ? agentElement(device.details) : '—'),
    cell('Created', timeElement(device.created)),
    cell('Last seen', timeElement(device.last_request_datetime)),
    el('td', { className: 'buttons' }, revoke));
}

filters.addEventListener('submit', event => {
  event.preventDefault();
  page = 1;
  load();
});
document.getElementById('previous').addEventListener('click', () => { page--; load(); });
document.getElementById('next').addEventListener('click', () => { page++; load(); });

try {
  if (await resume()) {
    const who = document.getElementById('who');
    who.textContent = `Signed in as ${current().username}`;
    who.hidden = false;
    // Asking the API would only earn a 403; it still refuses whoever the page lets through.
    if (current().isAdmin) {
      await load();
    } else {
      show('refused');
    }
  } else {
    show('signed-out');
  }
} catch (error) {
  say(error instanceof TypeError ? 'The server cannot be reached. Check your connection and try again.' : error.message, 'error');
}
