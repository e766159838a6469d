// How the pages write what the API stores raw: user agents as people say them ("Chrome 156 on Linux"),
// times as "5 minutes ago". The raw value stays on hover, in the element's title.

// The first match names the browser; order matters: Edge, Opera and Samsung Internet also say Chrome,
// and Chrome also says Safari.
const browsers = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/\b(?:OPR|OPiOS)\/(\d+)/, 'Opera'],
  [/\bSamsungBrowser\/(\d+)/, 'Samsung Internet'],
  [/\b(?:Firefox|FxiOS)\/(\d+)/, 'Firefox'],
  [/\bHeadlessChrome\/(\d+)/, 'Headless Chrome'],
  [/\b(?:Chrome|CriOS)\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+)[\d.]*(?: Mobile\/\w+)? Safari\//, 'Safari'],
];

// Android and iOS also say Linux and "like Mac OS X".
const systems = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bWindows\b/, 'Windows'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

// HTTP libraries as their users know them; any other "name/version" is written "name version".
const libraries = { okhttp: 'OkHttp', 'python-requests': 'Python Requests', PostmanRuntime: 'Postman', 'Go-http-client': 'Go' };

/**
 * "Chrome 156 on Linux", "Safari 17 on iPhone", "MyApp 2.3.1 on iOS", "curl 8.5.0"; null when the string
 * says nothing a person would recognise, for the caller to show it as it is.
 */
export function describeAgent(userAgent) {
  const agent = (userAgent ?? '').trim();
  if (!agent) {
    return null;
  }
  if (agent.startsWith('Mozilla/')) {
    const browser = browsers.find(([pattern]) => pattern.test(agent));
    const system = systems.find(([pattern]) => pattern.test(agent))?.[1];
    const name = browser ? `${browser[1]} ${agent.match(browser[0])[1]}` : 'Web browser';
    return system ? `${name} on ${system}` : name;
  }
  // An Android app that kept the platform's agent: "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP1A...)".
  const dalvik = agent.match(/^Dalvik\/[\d.]+ \(Linux; U; Android ([\d.]+); (.+?)(?: Build\/[^)]*)?\)/);
  if (dalvik) {
    return `App on ${dalvik[2]} (Android ${dalvik[1]})`;
  }
  const product = agent.match(/^([A-Za-z][\w.%+-]*)\/(\d[\w.+-]*)/);
  if (!product) {
    return null;
  }
  const name = libraries[product[1]] ?? decodeName(product[1]);
  // An iOS app through Apple's networking: "MyApp/2.3.1 CFNetwork/1490.0.4 Darwin/23.2.0".
  return /\bCFNetwork\//.test(agent) ? `${name} ${product[2]} on iOS` : `${name} ${product[2]}`;
}

function decodeName(name) {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

const units = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60]];

/** "5 minutes ago", "yesterday", "now", in the reader's language. */
export function timeAgo(iso, now = Date.now(), locale = undefined) {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const seconds = (new Date(iso).getTime() - now) / 1000;
  if (Math.abs(seconds) < 45) {
    return format.format(0, 'second');
  }
  const [unit, size] = units.find(([, length]) => Math.abs(seconds) >= length) ?? ['second', 1];
  return format.format(Math.round(seconds / size), unit);
}

/** "7 Dec 2026, 05:33:35 UTC" in the reader's own locale and time zone. */
export function exactTime(iso, locale = undefined) {
  return new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'long' });
}

/** The agent as people say it, with the raw string on hover; the raw string alone when it says nothing known. */
export function agentElement(userAgent) {
  const span = document.createElement('span');
  const described = describeAgent(userAgent);
  span.textContent = described ?? (userAgent || '—');
  if (described && described !== userAgent) {
    span.title = userAgent;
  }
  return span;
}

/**
 * A device's name. Without X-Device-Model the seed names a device after its user agent and leaves its
 * details empty: such a name is written as people say it.
 */
export function deviceNameElement(device) {
  const name = device.details ? Object.assign(document.createElement('span'), { textContent: device.name }) : agentElement(device.name);
  name.classList.add('device-name');
  return name;
}

/** A <time> that says "5 minutes ago", with the exact time on hover. */
export function timeElement(iso) {
  const time = document.createElement('time');
  time.dateTime = iso;
  time.title = exactTime(iso);
  time.textContent = timeAgo(iso);
  return time;
}

/** The note both pages show under the name of a device bound to a key (the API's `key_bound`), saying how (`key_binding`). */
export function keyBoundElement(binding) {
  const text = binding === 'DBSC' ? 'Bound to the browser\'s key (DBSC)' : 'Bound to a DPoP key';
  return Object.assign(document.createElement('small'), { className: 'key-bound', textContent: text });
}
