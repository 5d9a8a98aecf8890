#!/usr/bin/env node
// berpa's browser suite: the built site judged in a real browser (Debian's Chromium, driven by
// playwright-core; no browser is ever downloaded).
//
//   node tests/browser/run.mjs <built site folder> [--screenshots DIR] [--only TEXT]
//
// Serves the folder on 127.0.0.1 (under the base path of its canonical URLs, so the site is
// tried from a sub-path as on static hosting, and a missing page gets 404.html with status 404),
// then opens one page of every kind (in the default language; in the others a selection of
// kinds, as the templates are shared), at 1280 and 375 px wide, and checks:
//   - no console errors, no failed requests, nothing loaded from another host;
//   - no axe-core violations for the WCAG 2.0/2.1/2.2 A and AA tags (light and dark scheme);
//   - no horizontal scrolling of the page; tables wider than the page scroll in their own box;
//     charts and maps fit their container;
//   - keyboard: the first Tab reaches a visible skip link that moves focus to <main>; Tab reaches
//     every link and control, each with a visible focus indicator (an outline or a change of
//     box-shadow, background or border, 3:1 against what is behind it) that nothing covers;
//   - with JavaScript off the page shows the same <main>, its <h1> and the navigation;
//   - with JavaScript on, the search box finds a record by its Azerbaijani and its English name;
//   - the tables of list and group pages sort by a column (aria-sort follows), filter by text and
//     status, and download the rows shown as CSV, with axe still clean.
//   - chart text (at 1280, 768 and 375 px) between 12 and 18 CSS px, no two labels of a chart
//     overlapping (their bounding boxes), none cut at the chart's edge.
// Screenshots (full page, both widths; dark scheme and JavaScript off for the home and a city;
// each chart and map figure on its own in figures/) go to --screenshots (default
// target/browser-screenshots). axe-core is served to the page from
// its own origin, so the site's Content-Security-Policy stays on throughout.
// Every problem is reported in one run; the exit status is 1 when there was any, 2 when the
// suite could not run (no Chromium, no node_modules, no site).
//
// Run by tests/browser.rs as part of `cargo test`. Chromium: $BERPA_CHROMIUM or /usr/bin/chromium.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const started = Date.now();

// ---------------------------------------------------------------------------------------------
// Arguments and prerequisites

function fatal(msg) {
  console.error(`browser suite: ${msg}`);
  process.exit(2);
}

const args = process.argv.slice(2);
let siteDir = null;
let shotDir = path.resolve(here, '../../target/browser-screenshots');
let only = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--screenshots') shotDir = path.resolve(args[++i] ?? fatal('--screenshots needs a folder'));
  else if (args[i] === '--only') only = args[++i] ?? fatal('--only needs a text');
  else if (args[i].startsWith('--')) fatal(`unknown option ${args[i]}`);
  else if (siteDir === null) siteDir = path.resolve(args[i]);
  else fatal(`one site folder expected, got ${args[i]} too`);
}
if (!siteDir) fatal('usage: node tests/browser/run.mjs <built site folder> [--screenshots DIR] [--only TEXT]');
if (!fs.existsSync(path.join(siteDir, 'index.html'))) fatal(`${siteDir} has no index.html: build the site first (cargo run -- build)`);
if (!fs.existsSync(path.join(siteDir, '404.html'))) fatal(`${siteDir} has no 404.html`);

const chromiumPath = process.env.BERPA_CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(chromiumPath)) {
  fatal(`Chromium is needed for the browser tests: apt-get install chromium (or set BERPA_CHROMIUM); ${chromiumPath} does not exist`);
}

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  fatal(`playwright-core is not installed: run \`npm ci\` in ${here} (${e.message})`);
}
let axeSource;
try {
  axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
} catch (e) {
  fatal(`axe-core is not installed: run \`npm ci\` in ${here} (${e.message})`);
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WIDTHS = [1280, 375];
const HEIGHT = { 1280: 900, 375: 740 };
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// ---------------------------------------------------------------------------------------------
// The site: its base path, languages and one page of every kind

const homeHtml = fs.readFileSync(path.join(siteDir, 'index.html'), 'utf8');
function basePath() {
  const m = homeHtml.match(/<link rel="canonical" href="([^"]+)"/);
  if (!m) return '/';
  let p = new URL(m[1], 'http://localhost/').pathname;
  if (!p.endsWith('/')) p += '/';
  return p;
}
const BASE = basePath();

// Languages from the home page's hreflang alternates: code → folder prefix ('' or 'az/').
function languages() {
  const out = [];
  for (const m of homeHtml.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/g)) {
    const p = new URL(m[2], 'http://localhost/').pathname;
    const prefix = p.startsWith(BASE) ? p.slice(BASE.length) : '';
    out.push({ code: m[1], prefix });
  }
  if (!out.length) out.push({ code: 'en', prefix: '' });
  out.sort((a, b) => a.prefix.length - b.prefix.length);
  return out;
}
const LANGS = languages();

const exists = (rel) => fs.existsSync(path.join(siteDir, rel, 'index.html'));
function firstRecord(prefix, dir, preferred) {
  if (exists(`${prefix}${dir}/${preferred}`)) return `${dir}/${preferred}/`;
  const d = path.join(siteDir, prefix, dir);
  if (!fs.existsSync(d)) return null;
  const ids = fs.readdirSync(d).filter((n) => exists(`${prefix}${dir}/${n}`)).sort();
  return ids.length ? `${dir}/${ids[0]}/` : null;
}

// Every kind in the default language; in the others, the pages whose text differs most (home,
// a list, a record, a tracked figure, a free page, data, updates, editions and changes, a page
// per group, a chart's page and its embed page): the templates are shared.
const OTHER_LANG_KINDS = new Set(['home', 'cities list', 'cities record', 'indicators record', 'about', 'data', 'updates', 'editions', 'changes', 'edition', 'group page', 'chart', 'chart embed']);

function pagesOf(lang) {
  const p = lang.prefix;
  const pages = [{ kind: 'home', rel: '' }];
  const collections = [
    ['cities', 'lachin'], ['roads', 'victory-road'], ['projects', 'fuzuli-international-airport'],
    ['partners', 'uzbekistan'], ['indicators', 'people-returned'], ['sources', null],
  ];
  // Collections the site declares: a folder with its own CSV in data/.
  const builtIn = new Set(collections.map(([dir]) => dir).concat(['observations']));
  const dataDir = path.join(siteDir, 'data');
  const declared = fs.existsSync(dataDir)
    ? fs.readdirSync(dataDir).filter((n) => n.endsWith('.csv')).map((n) => n.slice(0, -4))
      .filter((d) => !builtIn.has(d) && exists(`${p}${d}`)).sort()
    : [];
  for (const dir of declared) collections.push([dir, null]);
  for (const [dir, preferred] of collections) {
    if (exists(`${p}${dir}`)) pages.push({ kind: `${dir} list`, rel: `${dir}/` });
    const rec = firstRecord(p, dir, preferred);
    if (rec) pages.push({ kind: `${dir} record`, rel: rec });
  }
  // The pages per group: a field's index of values and one value's page.
  for (const rel of ['projects/by-sector', 'projects/by-sector/education']) {
    if (exists(`${p}${rel}`)) pages.push({ kind: rel.split('/').length > 2 ? 'group page' : 'group index', rel: `${rel}/` });
  }
  for (const free of ['map', 'about', 'methodology', 'data', 'updates', 'editions', 'changes']) {
    if (exists(`${p}${free}`)) pages.push({ kind: free, rel: `${free}/` });
  }
  // An edition's own page, when the site has recorded one.
  const edition = firstRecord(p, 'editions', null);
  if (edition) pages.push({ kind: 'edition', rel: edition });
  // A chart's page and its embed page (made to be framed by other sites: no site chrome, so
  // no skip link or navigation is expected of it).
  const chart = firstRecord(p, 'charts', 'indicator-progress');
  if (chart) {
    pages.push({ kind: 'chart', rel: chart });
    pages.push({ kind: 'chart embed', rel: `${chart}embed/`, bare: true });
  }
  if (!lang.prefix) pages.push({ kind: '404', rel: 'no-such-page/', status: 404 });
  return pages.filter((x) => !lang.prefix || OTHER_LANG_KINDS.has(x.kind)).map((x) => ({
    ...x,
    lang: lang.code,
    shot: !lang.prefix || x.kind === 'home' || x.kind === 'cities record',
    url: `${BASE}${p}${x.rel}`,
    name: `${lang.code} ${x.rel || '/'}`,
    slug: `${lang.code}-${(x.rel || 'home').replace(/\/$/, '').replace(/[^a-z0-9]+/gi, '-')}`,
  }));
}
let PAGES = LANGS.flatMap(pagesOf);
if (only) PAGES = PAGES.filter((p) => p.name.includes(only));
const searchOnly = only !== null && only.startsWith('search');
if (!PAGES.length && !searchOnly && !only.startsWith('table')) fatal(`no pages to check${only ? ` match --only ${only}` : ''}`);

// ---------------------------------------------------------------------------------------------
// A static server on loopback

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.geojson': 'application/geo+json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8', '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif',
  '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff', '.pdf': 'application/pdf',
};

// axe-core is served from the site's own origin (a path no site can have: output paths never
// start with a dot), so the page loads it as it loads search.js, under the site's own
// Content-Security-Policy: no need to switch the policy off to test.
const AXE_PATH = '/.berpa-test/axe.min.js';

function startServer(root, base) {
  const notFound = fs.readFileSync(path.join(root, '404.html'));
  const server = http.createServer((req, res) => {
    const send = (status, body, type, headers = {}) => {
      res.writeHead(status, {
        'Content-Type': type, 'Content-Length': body.length, 'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store', ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const missing = () => send(404, notFound, TYPES['.html']);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, Buffer.from('method not allowed\n'), TYPES['.txt']);
    let url;
    let pathname;
    try {
      url = new URL(req.url, 'http://127.0.0.1');
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return send(400, Buffer.from('bad request\n'), TYPES['.txt']);
    }
    if (pathname === AXE_PATH) return send(200, Buffer.from(axeSource), TYPES['.js']);
    if (!pathname.startsWith(base)) return missing();
    const rel = pathname.slice(base.length);
    // No way out of the folder, and no hidden files (berpa's output marker).
    if (rel.includes('\0') || rel.split('/').some((s) => s === '..' || s.startsWith('.'))) return missing();
    let file = path.join(root, rel);
    let st = fs.statSync(file, { throwIfNoEntry: false });
    if (st?.isDirectory()) {
      if (!pathname.endsWith('/')) return send(301, Buffer.alloc(0), TYPES['.txt'], { Location: `${url.pathname}/${url.search}` });
      file = path.join(file, 'index.html');
      st = fs.statSync(file, { throwIfNoEntry: false });
    }
    if (!st?.isFile()) return missing();
    send(200, fs.readFileSync(file), TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------------------------------------
// Problems, collected over the whole run

const problems = []; // { where, check, message }
const violations = new Map(); // axe rule id → { impact, help, url, nodes: Map(target → Set(where)) }
const incomplete = new Map(); // axe rule id → count of nodes axe could not decide
// Time spent per phase (printed at the end), to keep the suite quick.
const phases = new Map();
async function timed(name, f) {
  const t = Date.now();
  try {
    return await f();
  } finally {
    phases.set(name, (phases.get(name) ?? 0) + Date.now() - t);
  }
}
function problem(where, check, message) {
  problems.push({ where, check, message });
}
const notes = new Map(); // things for a person to look at, not failures: message → pages
function note(message, where) {
  notes.set(message, [...(notes.get(message) ?? []), where]);
}

// ---------------------------------------------------------------------------------------------
// In-page helpers (run inside the browser; must not close over anything)

// Every element that should be reachable with Tab, each marked with data-berpa-t="n".
function markFocusables() {
  const sel = 'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, iframe, [tabindex], [contenteditable=""], [contenteditable="true"], audio[controls], video[controls]';
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    if (el.disabled || el.tabIndex < 0) continue;
    if (el.getAttribute('tabindex') !== null && Number(el.getAttribute('tabindex')) < 0) continue;
    const closedDetails = el.closest('details:not([open])');
    if (closedDetails && !(el.tagName === 'SUMMARY' && el.parentElement === closedDetails)) continue;
    if (el.closest('[hidden], [inert]')) continue;
    if (typeof el.checkVisibility === 'function' && !el.checkVisibility({ visibilityProperty: true })) continue;
    const n = out.length;
    el.setAttribute('data-berpa-t', String(n));
    out.push(describe(el));
  }
  return out;
  function describe(el) {
    const tag = el.tagName.toLowerCase();
    const id = el.id ? `#${el.id}` : '';
    const cls = el.classList && el.classList.length ? `.${[...el.classList].join('.')}` : '';
    const href = el.getAttribute('href');
    const text = (el.textContent || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${tag}${id}${cls}${href ? `[href="${href}"]` : ''}${text ? ` "${text}"` : ''}`;
  }
}

// The focused element: its mark, its focus style and whether it can be seen.
function focusState() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const cs = getComputedStyle(el);
  const style = {
    outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth, outlineColor: cs.outlineColor,
    boxShadow: cs.boxShadow, backgroundColor: cs.backgroundColor, borderColor: cs.borderColor,
    borderWidth: cs.borderWidth,
  };
  // What is behind the outline: the first ancestor with a background colour.
  let bg = 'rgb(255, 255, 255)';
  for (let p = el.parentElement; p; p = p.parentElement) {
    const c = getComputedStyle(p).backgroundColor;
    const m = c.match(/[\d.]+/g);
    if (m && (m.length < 4 || Number(m[3]) > 0)) { bg = c; break; }
  }
  const rects = [...el.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
  const r = rects[0] || el.getBoundingClientRect();
  const vw = window.innerWidth;
  const vh = window.innerHeight;
  const onScreen = r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < vw && r.top < vh;
  let covered = null;
  if (onScreen) {
    // Where to look: the middle of the element's box; for a link in an SVG (a map's place or
    // road), the middle of its first shape, or points along a line (a road shares part of its
    // way with another, and the middle of its box is seldom on it): one uncovered is enough.
    let spots = [[r.left + r.width / 2, r.top + r.height / 2]];
    const shape = el instanceof SVGElement ? [...el.querySelectorAll('*')].find((n) => n instanceof SVGGeometryElement) : null;
    const m = shape && shape.getScreenCTM();
    if (m) {
      let pts;
      if (['polyline', 'path', 'line'].includes(shape.tagName)) {
        const len = shape.getTotalLength();
        pts = Array.from({ length: 19 }, (_, i) => shape.getPointAtLength(len * (0.5 + (i % 2 ? 1 : -1) * Math.ceil(i / 2) * 0.05)));
      } else {
        const b = shape.getBBox();
        pts = [{ x: b.x + b.width / 2, y: b.y + b.height / 2 }];
      }
      spots = pts.map((p) => [m.a * p.x + m.c * p.y + m.e, m.b * p.x + m.d * p.y + m.f]);
    }
    for (const [cx, cy] of spots) {
      const x = Math.min(Math.max(cx, 0), vw - 1);
      const y = Math.min(Math.max(cy, 0), vh - 1);
      const hit = document.elementFromPoint(x, y);
      // (Inside a map, a road may run exactly along another, two records of one route; its
      // focus ring, drawn around its box, still shows. Only what is outside the map counts.)
      const mapOwn = shape && hit && hit.ownerSVGElement === el.ownerSVGElement;
      if (hit && hit !== el && !el.contains(hit) && !hit.contains(el) && !(mapOwn && spots.length > 1)) {
        covered ??= `${hit.tagName.toLowerCase()}${hit.className && typeof hit.className === 'string' ? `.${hit.className.split(' ').join('.')}` : ''}`;
      } else {
        covered = null;
        break;
      }
    }
  }
  const href = el.getAttribute('href');
  const targetEl = href && href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
  return {
    t: el.getAttribute('data-berpa-t'),
    skip: el.tagName === 'A' && !!targetEl && targetEl.tagName === 'MAIN',
    tag: el.tagName.toLowerCase(),
    desc: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} "${(el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40)}"`,
    style, bg, onScreen, covered,
    top: r.top, bottom: r.bottom, left: r.left, right: r.right,
  };
}

function unfocusedStyles(marks) {
  if (document.activeElement) document.activeElement.blur();
  const out = {};
  for (const t of marks) {
    const el = document.querySelector(`[data-berpa-t="${t}"]`);
    if (!el) continue;
    const cs = getComputedStyle(el);
    out[t] = {
      outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth, outlineColor: cs.outlineColor,
      boxShadow: cs.boxShadow, backgroundColor: cs.backgroundColor, borderColor: cs.borderColor,
      borderWidth: cs.borderWidth,
    };
  }
  return out;
}

// Horizontal overflow: the page's width, and the outermost elements that stick out of the
// viewport without a scrolling box of their own around them.
function layoutState() {
  const vw = window.innerWidth;
  const doc = document.documentElement;
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return p;
    }
    return null;
  };
  const name = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
  const offenders = [];
  if (doc.scrollWidth > vw) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right <= vw + 0.5 || r.width === 0) continue;
      if (scrolls(el)) continue;
      const parent = el.parentElement;
      const pr = parent ? parent.getBoundingClientRect() : null;
      if (pr && pr.right > vw + 0.5 && parent !== document.body) continue; // report the outermost
      offenders.push(`${name(el)} (right edge at ${Math.round(r.right)} px)`);
      if (offenders.length >= 8) break;
    }
  }
  // Tables: wider than their box is fine only inside a box that scrolls.
  const tables = [];
  for (const t of document.querySelectorAll('main table')) {
    const box = scrolls(t);
    const tr = t.getBoundingClientRect();
    if (tr.width === 0) continue; // inside a closed <details>
    const boxScrolls = box && ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
    tables.push({
      name: name(t), width: Math.round(tr.width), inScrollBox: !!boxScrolls,
      scrolling: !!(boxScrolls && box.scrollWidth > box.clientWidth + 1),
      boxRight: box ? Math.round(box.getBoundingClientRect().right) : null,
    });
  }
  // Charts and maps: drawn SVG scaled to fit its container.
  const charts = [];
  for (const svg of document.querySelectorAll('main svg')) {
    if (svg.parentElement && svg.parentElement.closest('svg')) continue;
    const r = svg.getBoundingClientRect();
    if (r.width === 0 && r.height === 0 && svg.closest('details:not([open])')) continue;
    const box = svg.closest('figure') || svg.parentElement;
    const br = box.getBoundingClientRect();
    const vb = svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width ? svg.viewBox.baseVal.width : null;
    // Each label as drawn: font size times the scale the SVG is shown at, and its box.
    let minText = null;
    let maxText = null;
    const boxes = [];
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const ctm = t.getScreenCTM();
      const px = parseFloat(getComputedStyle(t).fontSize) * (ctm ? Math.hypot(ctm.a, ctm.b) : 1);
      if (px > 0 && (minText === null || px < minText)) minText = px;
      if (px > 0 && (maxText === null || px > maxText)) maxText = px;
      const b = t.getBoundingClientRect();
      if (b.width > 0) boxes.push({ text: t.textContent.trim(), l: b.left, t: b.top, r: b.right, b: b.bottom });
    }
    // Labels that overlap (by more than a pixel each way: a text's box includes the font's
    // line gap) or stick out of the drawing.
    const overlaps = [];
    const clipped = [];
    for (let i = 0; i < boxes.length; i++) {
      const a = boxes[i];
      if (a.l < r.left - 0.5 || a.r > r.right + 0.5 || a.t < r.top - 0.5 || a.b > r.bottom + 0.5) clipped.push(a.text);
      for (let j = 0; j < i; j++) {
        const b = boxes[j];
        const w = Math.min(a.r, b.r) - Math.max(a.l, b.l);
        const h = Math.min(a.b, b.b) - Math.max(a.t, b.t);
        if (w > 1 && h > 2) overlaps.push(`"${b.text}" and "${a.text}"`);
      }
    }
    charts.push({
      name: box.id ? `#${box.id}` : name(box),
      isChart: !!svg.closest('.chart-svg'),
      width: Math.round(r.width), height: Math.round(r.height), viewBox: vb, minText, maxText,
      overlaps, clipped,
      boxLeft: br.left, boxRight: br.right, left: r.left, right: r.right,
    });
  }
  return { vw, scrollWidth: doc.scrollWidth, offenders, tables, charts };
}

function contentState() {
  const main = document.querySelector('main');
  // What tables.js adds (the table's tools) or relabels (the download link) is left out, so the
  // page with and without JavaScript can be compared.
  const added = main ? [...main.querySelectorAll('.table-tools, a.rows-download')] : [];
  const was = added.map((e) => e.hidden);
  added.forEach((e) => { e.hidden = true; });
  const mainText = main ? main.innerText.trim() : '';
  added.forEach((e, i) => { e.hidden = was[i]; });
  const h1s = [...document.querySelectorAll('h1')];
  const vis = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const nav = document.querySelector('nav.site-nav') || document.querySelector('header nav');
  return {
    mainText,
    mainVisible: vis(main),
    h1: h1s.map((h) => h.innerText.trim()),
    h1Visible: h1s.length === 1 && vis(h1s[0]),
    navLinks: nav ? [...nav.querySelectorAll('a[href]')].filter(vis).length : 0,
    title: document.title,
  };
}

// ---------------------------------------------------------------------------------------------
// Colour arithmetic for the focus indicator (WCAG 1.4.11: 3:1 against what is next to it)

function parseColor(c) {
  const m = String(c).match(/[\d.]+/g);
  if (!m || m.length < 3) return null;
  return { r: +m[0], g: +m[1], b: +m[2], a: m.length > 3 ? +m[3] : 1 };
}
function luminance({ r, g, b }) {
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}
function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

// Whether a focused element shows that it has focus, compared with its unfocused style.
function focusIndicator(f, before) {
  const s = f.style;
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && (parseColor(s.outlineColor)?.a ?? 0) > 0;
  if (outline) {
    const ratio = contrast(parseColor(s.outlineColor), parseColor(f.bg));
    if (ratio < 3) return { ok: false, why: `focus outline ${s.outlineColor} has contrast ${ratio.toFixed(2)}:1 against ${f.bg} (needs 3:1)` };
    return { ok: true };
  }
  if (before) {
    const changed = ['boxShadow', 'backgroundColor', 'borderColor', 'borderWidth'].filter((k) => s[k] !== before[k]);
    if (changed.length) return { ok: true };
  }
  return { ok: false, why: `no visible focus indicator (outline ${s.outlineStyle} ${s.outlineWidth}, nothing else changes)` };
}

// ---------------------------------------------------------------------------------------------
// The checks

const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, timeout: 60000 })
  .catch((e) => fatal(`could not start Chromium at ${chromiumPath}: ${e.message}`));
const server = await startServer(siteDir, BASE);
const ORIGIN = `http://127.0.0.1:${server.address().port}`;
fs.mkdirSync(shotDir, { recursive: true });
for (const f of fs.readdirSync(shotDir)) if (f.endsWith('.png')) fs.rmSync(path.join(shotDir, f));
fs.rmSync(path.join(shotDir, 'figures'), { recursive: true, force: true });
fs.mkdirSync(path.join(shotDir, 'figures'), { recursive: true });

// A browser tab, with everything it reports filed under `label.where` (a tab is reused from
// page to page: opening one costs far more than loading a page). `label.status` is the status
// the current page is meant to have (404 for the deliberate visit to a missing page).
async function newPage(options, label) {
  const context = await browser.newContext({ ...options, serviceWorkers: 'block' });
  // Nothing may come from another host: such a request is a problem and is never sent.
  await context.route((url) => !url.href.startsWith(`${ORIGIN}/`) && !url.href.startsWith('data:'), (route) => {
    problem(label.where, 'requests', `request to another host: ${route.request().url()}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    // The deliberate visit to a missing page logs its own 404; that one is expected.
    if (label.status === 404 && /status of 404/.test(text) && (m.location()?.url ?? '').includes('no-such-page')) return;
    problem(label.where, 'console', `${text}${m.location()?.url ? ` (${m.location().url.replace(ORIGIN, '')})` : ''}`);
  });
  page.on('pageerror', (e) => problem(label.where, 'console', `uncaught: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText === 'net::ERR_ABORTED' && !r.url().startsWith(ORIGIN)) return; // reported by the route
    problem(label.where, 'requests', `${r.method()} ${r.url().replace(ORIGIN, '')} failed: ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() < 400) return;
    if (label.status === 404 && r.request().isNavigationRequest() && r.status() === 404) return;
    problem(label.where, 'requests', `${r.request().method()} ${r.url().replace(ORIGIN, '')} → ${r.status()}`);
  });
  return { context, page, label };
}

// Each worker's two tabs: one with JavaScript, one without.
async function openTabs() {
  return {
    js: await newPage({ viewport: { width: WIDTHS[0], height: HEIGHT[WIDTHS[0]] }, colorScheme: 'light' }, { where: '' }),
    nojs: await newPage({ viewport: { width: WIDTHS[0], height: HEIGHT[WIDTHS[0]] }, colorScheme: 'light', javaScriptEnabled: false }, { where: '' }),
  };
}
async function closeTabs(tabs) {
  await Promise.all([tabs.js.context.close(), tabs.nojs.context.close()]).catch(() => {});
}

// Points a reused tab at a page: its label, its size, the light scheme.
async function prepare(tab, where, status, width) {
  tab.label.where = where;
  tab.label.status = status;
  await tab.page.setViewportSize({ width, height: HEIGHT[width] });
  await tab.page.emulateMedia({ colorScheme: 'light' });
  return tab.page;
}

async function goto(page, spec, where) {
  const resp = await page.goto(`${ORIGIN}${spec.url}`, { waitUntil: 'load' });
  const want = spec.status ?? 200;
  if (!resp) problem(where, 'requests', 'no response');
  else if (resp.status() !== want) problem(where, 'requests', `status ${resp.status()}, expected ${want}`);
  return resp;
}

// axe on the page as it is (after the keyboard walk: focus moved, nothing else changed).
async function runAxe(page, where) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ url: `${ORIGIN}${AXE_PATH}` });
  const res = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'] });
    const pick = (v) => ({ id: v.id, impact: v.impact, help: v.help, url: v.helpUrl, nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })) });
    return { violations: r.violations.map(pick), incomplete: r.incomplete.map(pick) };
  }, AXE_TAGS);
  recordAxe(res, where);
  return res.violations.reduce((n, v) => n + v.nodes.length, 0);
}

function recordAxe(res, where) {
  for (const v of res.violations) {
    if (!violations.has(v.id)) violations.set(v.id, { impact: v.impact, help: v.help, url: v.url, nodes: new Map() });
    const entry = violations.get(v.id);
    for (const n of v.nodes) {
      const key = `${n.target}${n.summary ? ` — ${n.summary.split('\n').slice(1).join(' ').trim()}` : ''}`;
      if (!entry.nodes.has(key)) entry.nodes.set(key, new Set());
      entry.nodes.get(key).add(where);
    }
    problem(where, 'axe', `${v.id} (${v.nodes.length})`);
  }
  for (const v of res.incomplete) incomplete.set(v.id, (incomplete.get(v.id) ?? 0) + v.nodes.length);
}

async function checkPage(tabs, spec, width, dark) {
  const where = `${spec.name} @${width}`;
  const row = { page: spec.name, kind: spec.kind, width };
  const page = await prepare(tabs.js, where, spec.status, width);
  await timed('open', () => goto(page, spec, where));

  // Layout.
  const layout = await timed('layout', () => page.evaluate(layoutState));
  if (layout.scrollWidth > layout.vw) {
    problem(where, 'layout', `the page scrolls sideways: ${layout.scrollWidth} px wide in a ${layout.vw} px viewport; sticking out: ${layout.offenders.join('; ') || '(none found)'}`);
  }
  for (const t of layout.tables) {
    if (t.width > layout.vw && !t.inScrollBox) problem(where, 'layout', `table ${t.name} is ${t.width} px wide and not in a box that scrolls`);
    if (t.boxRight !== null && t.boxRight > layout.vw + 0.5) problem(where, 'layout', `the box of table ${t.name} ends at ${t.boxRight} px, past the ${layout.vw} px viewport`);
  }
  for (const c of layout.charts) {
    if (c.width === 0 || c.height === 0) problem(where, 'charts', `${c.name} is drawn ${c.width}×${c.height} px`);
    if (c.right > c.boxRight + 0.5 || c.left < c.boxLeft - 0.5 || c.right > layout.vw + 0.5) {
      problem(where, 'charts', `${c.name} (${c.width} px) does not fit its container (${Math.round(c.boxRight - c.boxLeft)} px)`);
    }
  }
  chartText(layout, where);
  // The chart text again at a tablet's width (768 px): the layout checks only.
  if (width === WIDTHS[0] && layout.charts.some((c) => c.isChart)) {
    await page.setViewportSize({ width: 768, height: 900 });
    chartText(await page.evaluate(layoutState), `${spec.name} @768`);
    await page.setViewportSize({ width, height: HEIGHT[width] });
  }
  row.scroll = layout.scrollWidth <= layout.vw ? 'no' : `${layout.scrollWidth}px`;
  row.tables = `${layout.tables.length}${layout.tables.some((t) => t.scrolling) ? ` (${layout.tables.filter((t) => t.scrolling).length} scroll in box)` : ''}`;
  row.charts = layout.charts.length ? `${layout.charts.length}: ${[...new Set(layout.charts.map((c) => c.width))].join('/')}px` : '-';
  const texts = layout.charts.map((c) => c.minText).filter((x) => x !== null);
  if (texts.length) {
    const least = Math.min(...texts);
    row.charts += `, labels ≥${least.toFixed(1)}px`;
    // Not a failure (every chart has its numbers as a table beside it), but a person should know.
    if (least < 9) note(`chart labels drawn smaller than 9 px (down to ${least.toFixed(1)} px): ${layout.charts.filter((c) => c.minText !== null && c.minText < 9).map((c) => c.name).join(', ')}`, where);
  }

  const content = await page.evaluate(contentState);
  if (content.h1.length !== 1) problem(where, 'content', `${content.h1.length} h1 elements`);
  if (!content.title) problem(where, 'content', 'empty <title>');

  // A full-page screenshot of every page in the default language and of every home page; the
  // other languages' pages share their templates.
  if (spec.shot) await timed('screenshots', () => page.screenshot({ path: path.join(shotDir, `${spec.slug}-${width}.png`), fullPage: true }));
  // Every chart and map of the default language, on its own, to look at.
  if (spec.lang === LANGS[0].code) await timed('screenshots', () => figureShots(page, spec, width));

  // Keyboard.
  row.focus = await timed('keyboard', () => keyboard(page, where, spec.bare));

  // axe, in the light scheme and (once per page, at 1280) the dark one.
  row.axe = await timed('axe', () => runAxe(page, where));
  if (dark) {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
    row.axe += await timed('axe dark', () => runAxe(page, `${where} dark`));
    if (spec.kind === 'home' || spec.kind === 'cities record') await timed('screenshots', () => page.screenshot({ path: path.join(shotDir, `${spec.slug}-${width}-dark.png`), fullPage: false }));
  }

  // JavaScript off: the same content, heading and navigation.
  row.noJs = await timed('no-JS', () => withoutJs(tabs, spec, width, content));
  return row;
}

// Chart text between 12 and 18 CSS px, no two labels overlapping, none cut at the edge. (Maps
// are checked for fitting only: at a phone's width their table of places is offered.)
const TEXT_MIN = 12;
const TEXT_MAX = 18;
function chartText(layout, where) {
  for (const c of layout.charts.filter((x) => x.isChart && x.width > 0)) {
    if (c.minText !== null && (c.minText < TEXT_MIN - 0.05 || c.maxText > TEXT_MAX + 0.05)) {
      problem(where, 'chart text', `${c.name}: text drawn at ${c.minText.toFixed(1)}–${c.maxText.toFixed(1)} px, outside ${TEXT_MIN}–${TEXT_MAX} px`);
    }
    for (const o of c.overlaps) problem(where, 'chart text', `${c.name}: labels ${o} overlap`);
    for (const t of c.clipped) problem(where, 'chart text', `${c.name}: "${t}" is cut at the chart's edge`);
  }
}

// A screenshot of each chart and map figure of a page (the first of each id: home and record
// pages share some).
const shotFigures = new Set();
async function figureShots(page, spec, width) {
  const ids = await page.evaluate(() => [...document.querySelectorAll('main figure.chart[id], main figure.map')]
    .map((f, i) => f.id || `map-${i}`));
  for (const [i, id] of ids.entries()) {
    const key = `${id}-${width}`;
    if (id.startsWith('map') ? false : shotFigures.has(key)) continue;
    shotFigures.add(key);
    const name = id.startsWith('map') ? `${spec.slug}-map` : id;
    const el = page.locator('main figure.chart[id], main figure.map').nth(i);
    await el.screenshot({ path: path.join(shotDir, 'figures', `${name}-${width}.png`) });
  }
}

async function keyboard(page, where, bare) {
  const expected = await page.evaluate(markFocusables);
  // Every focus change is recorded in the page as it happens (the browser has scrolled the
  // element into view by then), so Tab is pressed without a round trip to read each one.
  await page.evaluate(`(() => {
    const focusState = ${focusState.toString()};
    window.__berpaFocusLog = [];
    document.addEventListener('focusin', () => window.__berpaFocusLog.push(focusState()), true);
  })()`);
  const reached = new Map(); // mark → focus state
  let log = [];
  let presses = 0;
  const limit = expected.length * 2 + 20;
  let wrapped = false;
  // The key events go to Chromium as Playwright sends them (Input.dispatchKeyEvent), but sent
  // together rather than one round trip each: Chromium handles them in order.
  const cdp = await page.context().newCDPSession(page);
  const key = (type) => cdp.send('Input.dispatchKeyEvent', { type, key: 'Tab', code: 'Tab', windowsVirtualKeyCode: 9, nativeVirtualKeyCode: 9 });
  while (!wrapped && presses < limit) {
    const batch = presses === 0 ? expected.length + 2 : 10;
    await Promise.all(Array.from({ length: batch }, () => [key('rawKeyDown'), key('keyUp')]).flat());
    presses += batch;
    log = await page.evaluate(() => window.__berpaFocusLog);
    wrapped = log.length > 1 && log.slice(1).some((f) => f && f.t !== null && f.t === log[0].t);
    if (!log.length) break;
  }
  const first = log[0];
  if (!first) problem(where, 'keyboard', 'Tab focuses nothing');
  else if (!bare) {
    if (!first.skip) problem(where, 'keyboard', `the first Tab focuses ${first.desc}, not a skip link to <main>`);
    if (!first.onScreen || first.top < 0) problem(where, 'keyboard', 'the skip link is not on screen when focused');
  }
  for (const [i, f] of log.entries()) {
    if (i > 0 && f.t !== null && f.t === first.t) break; // wrapped round
    if (f.t === null) problem(where, 'keyboard', `Tab reaches ${f.desc}, which the suite did not expect to be focusable`);
    else if (!reached.has(f.t)) reached.set(f.t, f);
  }
  await cdp.detach();
  if (!wrapped && first) problem(where, 'keyboard', `after ${presses} presses of Tab focus has not come round to the start`);
  const missing = expected.filter((_, i) => !reached.has(String(i)));
  if (missing.length) problem(where, 'keyboard', `${missing.length} of ${expected.length} focusable elements are never reached with Tab: ${missing.slice(0, 6).join('; ')}`);
  const before = await page.evaluate(unfocusedStyles, [...reached.keys()]);
  const noIndicator = [];
  for (const [t, f] of reached) {
    const v = focusIndicator(f, before[t]);
    if (!v.ok) noIndicator.push(`${expected[t]}: ${v.why}`);
    if (!f.onScreen) problem(where, 'keyboard', `${expected[t]} is off screen when focused`);
    else if (f.covered) problem(where, 'keyboard', `${expected[t]} is covered by ${f.covered} when focused`);
  }
  if (noIndicator.length) {
    const grouped = new Map();
    for (const s of noIndicator) {
      const why = s.slice(s.indexOf(': ') + 2);
      grouped.set(why, [...(grouped.get(why) ?? []), s.slice(0, s.indexOf(': '))]);
    }
    for (const [why, els] of grouped) problem(where, 'focus', `${why}: ${els.length} element(s), e.g. ${els.slice(0, 3).join('; ')}`);
  }
  // The skip link moves focus into the main content.
  await page.evaluate(() => window.scrollTo(0, 0));
  const skip = (await page.evaluateHandle(() => [...document.querySelectorAll('a[href^="#"]')]
    .find((a) => document.getElementById(a.getAttribute('href').slice(1))?.tagName === 'MAIN') ?? null)).asElement();
  if (skip) {
    await skip.focus();
    await page.keyboard.press('Enter');
    const ok = await page.evaluate(() => {
      const m = document.querySelector('main');
      return !!m && (document.activeElement === m || m.contains(document.activeElement));
    });
    if (!ok) problem(where, 'keyboard', 'following the skip link does not move focus to <main>');
    else {
      await page.keyboard.press('Tab');
      const inMain = await page.evaluate(() => !!document.querySelector('main')?.contains(document.activeElement));
      if (!inMain && expected.some((d) => d)) {
        const anyInMain = await page.evaluate(() => !!document.querySelector('main [data-berpa-t]'));
        if (anyInMain) problem(where, 'keyboard', 'after the skip link, Tab does not go to the main content');
      }
    }
  }
  return `${reached.size}/${expected.length}`;
}

async function withoutJs(tabs, spec, width, withJs) {
  const where = `${spec.name} @${width} no-JS`;
  const page = await prepare(tabs.nojs, where, spec.status, width);
  await goto(page, spec, where);
  const c = await page.evaluate(contentState);
  if (!c.mainVisible || !c.mainText) problem(where, 'no-JS', '<main> is not shown');
  if (!c.h1Visible || !c.h1[0]) problem(where, 'no-JS', 'the h1 is not shown');
  if (c.navLinks === 0 && !spec.bare) problem(where, 'no-JS', 'the navigation is not shown');
  if (c.mainText !== withJs.mainText) problem(where, 'no-JS', `<main> differs from the page with JavaScript (${c.mainText.length} vs ${withJs.mainText.length} characters)`);
  if (width === 375 && (spec.kind === 'home' || spec.kind === 'cities record')) {
    await page.screenshot({ path: path.join(shotDir, `${spec.slug}-${width}-nojs.png`), fullPage: false });
  }
  return c.mainVisible && c.h1Visible && (c.navLinks > 0 || spec.bare) ? `ok, ${c.navLinks} nav links` : 'MISSING';
}

// The search box: an <input type="search"> in the header filtering the language's JSON index.
async function searchTest(lang, width) {
  const home = `${BASE}${lang.prefix}`;
  const where = `search ${lang.code} @${width}`;
  const target = `${home}cities/lachin/`;
  const { context, page } = await newPage({ viewport: { width, height: HEIGHT[width] } }, { where });
  const found = [];
  try {
    await goto(page, { url: home }, where);
    const input = page.locator('header input[type="search"], [role="search"] input[type="search"]').first();
    if (!(await input.count())) {
      problem(where, 'search', 'no <input type="search"> in the header');
      return 'no search box';
    }
    for (const q of ['Laçın', 'Lachin']) {
      await input.fill('');
      await input.fill(q);
      const ok = await page.waitForFunction((want) => {
        const scope = document.querySelector('[role="search"]') || document.querySelector('header');
        return [...scope.querySelectorAll('a[href]')].some((a) => a.pathname === want && a.getClientRects().length > 0);
      }, target, { timeout: 5000 }).then(() => true, () => false);
      if (!ok) {
        const shown = await page.evaluate(() => [...(document.querySelector('[role="search"]') || document.querySelector('header')).querySelectorAll('a[href]')].map((a) => a.pathname).slice(0, 5));
        problem(where, 'search', `typing "${q}" shows no visible link to ${target} (links: ${shown.join(', ') || 'none'})`);
        continue;
      }
      found.push(q);
      if (q === 'Laçın') {
        // The status is announced, the layout holds with the results open, and the first result
        // is reachable with the arrow key.
        await page.waitForFunction(() => (document.querySelector('[role="status"]')?.textContent ?? '').trim() !== '', null, { timeout: 3000 })
          .catch(() => problem(where, 'search', 'the results are not announced in a role=status element'));
        const lay = await page.evaluate(layoutState);
        if (lay.scrollWidth > lay.vw) problem(where, 'layout', `with results shown the page scrolls sideways (${lay.scrollWidth} px): ${lay.offenders.join('; ')}`);
        await page.screenshot({ path: path.join(shotDir, `search-${lang.code}-${width}.png`) });
        await input.press('ArrowDown');
        const inResults = await page.evaluate(() => document.activeElement?.tagName === 'A' && !!document.activeElement.closest('[role="search"]'));
        if (!inResults) problem(where, 'search', 'ArrowDown from the box does not move to the first result');
        else {
          const f = await page.evaluate(focusState);
          const v = focusIndicator(f, null);
          if (!v.ok) problem(where, 'focus', `search result ${f.desc}: ${v.why}`);
        }
      }
    }
    // Following the result opens the record.
    await input.fill('Laçın');
    await page.waitForFunction((want) => [...document.querySelectorAll('[role="search"] a[href]')].some((a) => a.pathname === want), target, { timeout: 5000 }).catch(() => {});
    const href = await page.evaluate((want) => [...document.querySelectorAll('[role="search"] a[href]')].find((a) => a.pathname === want)?.getAttribute('href'), target);
    if (href) {
      await Promise.all([page.waitForURL(`${ORIGIN}${target}`), page.click(`[role="search"] a[href="${href}"]`)]);
      const h1 = await page.locator('h1').innerText();
      if (!/La(ç|ch)[ıi]n/.test(h1)) problem(where, 'search', `the result opens a page titled "${h1}"`);
    }
  } finally {
    await context.close();
  }
  return found.length === 2 ? `found cities/lachin/ by ${found.map((q) => `"${q}"`).join(' and ')}` : 'FAILED';
}

// The tables of list and group pages (tables.js): every heading a <button> in its <th>, the
// name column aria-sort="ascending" to begin with; a click sorts by its column (ascending, then
// descending) and moves aria-sort there; the text box and the status choice keep the rows
// that match; the download link gives the rows shown as CSV; axe stays clean with the tools on.
async function tableTest(lang, rel) {
  const url = `${BASE}${lang.prefix}${rel}`;
  const where = `table ${lang.code} ${rel}`;
  const { context, page } = await newPage({ viewport: { width: WIDTHS[0], height: HEIGHT[WIDTHS[0]] } }, { where });
  const done = [];
  try {
    await goto(page, { url }, where);
    const heads = await page.evaluate(() => [...document.querySelectorAll('table[data-sortable] thead th')].map((th) => ({
      button: !!th.querySelector(':scope > button[type="button"]'), sort: th.getAttribute('aria-sort'), text: th.innerText.trim(),
    })));
    if (!heads.length) { problem(where, 'table', 'no sortable table'); return 'no table'; }
    if (!heads.every((h) => h.button)) problem(where, 'table', `headings without a button: ${heads.filter((h) => !h.button).map((h) => h.text).join(', ')}`);
    if (heads[0].sort !== 'ascending') problem(where, 'table', `the name column starts with aria-sort=${heads[0].sort}`);
    const rows = () => page.evaluate(() => [...document.querySelectorAll('table[data-sortable] tbody tr')].filter((r) => !r.hidden).map((r) => [...r.cells].map((c) => c.getAttribute('data-sort') ?? c.innerText.trim())));
    const total = (await rows()).length;
    // Sort by the first column with sort values (a date or a number), both ways.
    const col = await page.evaluate(() => {
      const body = document.querySelector('table[data-sortable] tbody');
      const n = body.rows[0]?.cells.length ?? 0;
      for (let i = 1; i < n; i++) if ([...body.rows].some((r) => r.cells[i].hasAttribute('data-sort'))) return i;
      return 1;
    });
    for (const want of ['ascending', 'descending']) {
      await page.locator('table[data-sortable] thead th').nth(col).locator('button').click();
      const sorts = await page.evaluate(() => [...document.querySelectorAll('table[data-sortable] thead th')].map((th) => th.getAttribute('aria-sort')));
      if (sorts[col] !== want || sorts.filter((x) => x).length !== 1) problem(where, 'table', `after clicking column ${col}: aria-sort ${JSON.stringify(sorts)}, expected ${want} on it alone`);
      const vals = (await rows()).map((r) => r[col]).filter((v) => v !== '' && v !== '—');
      const num = vals.every((v) => !isNaN(Number(v)));
      const cmp = (a, b) => (num ? Number(a) - Number(b) : a.localeCompare(b));
      const ok = vals.every((v, i) => i === 0 || (want === 'ascending' ? cmp(vals[i - 1], v) <= 0 : cmp(vals[i - 1], v) >= 0));
      if (!ok) problem(where, 'table', `column ${col} is not sorted ${want}: ${vals.join(', ')}`);
      else done.push(`sorted ${want}`);
    }
    // Filter by a word of the last row's name.
    const last = (await rows()).at(-1)[0];
    const word = last.split(/\s+/).find((w) => w.length > 3) ?? last;
    await page.locator('.table-tools input[type="search"]').fill(word);
    const kept = await rows();
    const fold = (x) => x.toLowerCase();
    if (!kept.length || kept.length > total || !kept.every((r) => fold(r.join(' ')).includes(fold(word)))) {
      problem(where, 'table', `filtering by "${word}" keeps ${kept.length} of ${total} rows: ${kept.map((r) => r[0]).join('; ')}`);
    } else done.push(`"${word}" keeps ${kept.length} of ${total}`);
    const status = await page.locator('.table-tools [role="status"]').innerText();
    if (!status.includes(String(kept.length))) problem(where, 'table', `the status line says "${status}" for ${kept.length} rows`);
    // The rows shown, as CSV.
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 5000 }).catch(() => null),
      page.locator('a.rows-download').click(),
    ]);
    const file = download ? await download.path().catch(() => null) : null;
    const csv = file ? fs.readFileSync(file, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n') : null;
    if (!csv) problem(where, 'table', 'the download link does not give the rows shown');
    else if (csv.length !== kept.length + 1) problem(where, 'table', `the CSV has ${csv.length - 1} rows, ${kept.length} shown`);
    else {
      // An amount keeps its currency in the CSV.
      const amounts = await page.evaluate(() => [...document.querySelectorAll('table[data-sortable] tbody tr')].filter((r) => !r.hidden).flatMap((r) => [...r.querySelectorAll('[data-csv]')].map((c) => c.getAttribute('data-csv'))));
      const missing = amounts.filter((a) => !csv.some((line) => line.split(',').includes(a)));
      if (missing.length) problem(where, 'table', `the CSV lacks the amounts ${missing.join('; ')}`);
      else done.push(`CSV of the rows shown${amounts.length ? ` (${amounts.length} amounts with their currency)` : ''}`);
    }
    await page.locator('.table-tools input[type="search"]').fill('');
    // The status choice, where there is one.
    const select = page.locator('.table-tools select');
    if (await select.count()) {
      const choice = await select.locator('option').nth(1).innerText();
      await select.selectOption({ label: choice });
      const st = await page.evaluate(() => [...document.querySelectorAll('table[data-sortable] tbody tr')].filter((r) => !r.hidden).map((r) => r.querySelector('.status')?.innerText.trim()));
      if (!st.length || !st.every((x) => x === choice)) problem(where, 'table', `choosing status "${choice}" shows rows of ${JSON.stringify(st)}`);
      else done.push(`status "${choice}" keeps ${st.length}`);
    }
    await runAxe(page, where);
  } finally {
    await context.close();
  }
  return done.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Run everything, report everything

console.log(`browser suite: ${PAGES.length} pages × ${WIDTHS.length} widths, served from ${ORIGIN}${BASE} (${siteDir})`);
console.log(`Chromium ${browser.version()} at ${chromiumPath}; axe-core ${JSON.parse(fs.readFileSync(require.resolve('axe-core/package.json'), 'utf8')).version}; screenshots in ${shotDir}`);
// Two pages at a time (the machine has two cores); each job is one page at one width.
const jobs = PAGES.flatMap((spec) => WIDTHS.map((width) => ({ spec, width })));
const JOBS = Math.max(1, Number(process.env.BERPA_BROWSER_JOBS) || 2);
async function runJob(worker, { spec, width }) {
  let row;
  try {
    row = await checkPage(worker.tabs, spec, width, width === WIDTHS[0]);
  } catch (e) {
    problem(`${spec.name} @${width}`, 'suite', e.stack || e.message);
    row = { page: spec.name, kind: spec.kind, width, error: true };
    // A fresh pair of tabs for the next page, whatever state this one was left in.
    await closeTabs(worker.tabs);
    worker.tabs = await openTabs();
  }
  const mine = problems.filter((p) => p.where.startsWith(`${spec.name} @${width}`)).length;
  console.log(`  ${mine ? '✗' : '✓'} ${spec.name.padEnd(44)} ${String(width).padStart(4)} px  ${row.error ? 'error' : `axe ${row.axe}, Tab ${row.focus}, sideways scroll ${row.scroll}, tables ${row.tables}, charts ${row.charts}, no-JS ${row.noJs}`}${mine ? `  (${mine} problem${mine > 1 ? 's' : ''})` : ''}`);
}
try {
  let next = 0;
  await Promise.all(Array.from({ length: JOBS }, async () => {
    const worker = { tabs: await openTabs() };
    try {
      while (next < jobs.length) await runJob(worker, jobs[next++]);
    } finally {
      await closeTabs(worker.tabs);
    }
  }));
  if (!only || only.startsWith('table')) {
    for (const lang of LANGS) {
      for (const rel of ['projects/', 'projects/by-sector/education/']) {
        if (!exists(`${lang.prefix}${rel}`)) continue;
        try {
          const r = await timed('tables', () => tableTest(lang, rel));
          const mine = problems.filter((p) => p.where === `table ${lang.code} ${rel}`).length;
          console.log(`  ${mine ? '✗' : '✓'} table ${lang.code} ${rel}: ${r}`);
        } catch (e) {
          problem(`table ${lang.code} ${rel}`, 'suite', e.stack || e.message);
        }
      }
    }
  }
  if (!only || searchOnly) {
    for (const lang of LANGS) {
      for (const width of WIDTHS) {
        try {
          const r = await timed('search', () => searchTest(lang, width));
          console.log(`  ${r.startsWith('found') ? '✓' : '✗'} search ${lang.code} ${width} px: ${r}`);
        } catch (e) {
          problem(`search ${lang.code} @${width}`, 'suite', e.stack || e.message);
        }
      }
    }
  }
} finally {
  await browser.close();
  server.close();
}

const secs = ((Date.now() - started) / 1000).toFixed(1);
const kinds = [...new Set(PAGES.map((p) => p.kind))];
console.log(`\ntime by check (summed over ${JOBS} parallel jobs): ${[...phases].map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}`);
console.log(`checked ${PAGES.length} pages (${kinds.length} kinds: ${kinds.join(', ')}) × ${WIDTHS.join(' and ')} px in ${LANGS.map((l) => l.code).join(' and ')}, in ${secs} s`);
if (incomplete.size) {
  console.log(`axe could not decide (needs a person, not a failure): ${[...incomplete].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
}
if (notes.size) {
  console.log('\nnotes (not failures; see the screenshots):');
  for (const [message, wheres] of notes) console.log(`  ${message}\n    on ${wheres.slice(0, 6).join(', ')}${wheres.length > 6 ? ` and ${wheres.length - 6} more` : ''}`);
}
if (violations.size) {
  console.log('\naxe violations by rule:');
  for (const [id, v] of violations) {
    console.log(`  ${id} [${v.impact}] ${v.help} — ${v.url}`);
    for (const [target, wheres] of v.nodes) {
      const w = [...wheres];
      console.log(`    ${target}\n      on ${w.slice(0, 4).join(', ')}${w.length > 4 ? ` and ${w.length - 4} more` : ''}`);
    }
  }
}
const other = problems.filter((p) => p.check !== 'axe');
if (other.length) {
  // The same problem on many pages is printed once, with the pages it is on.
  console.log('\nproblems:');
  const byCheck = new Map();
  for (const p of other) {
    if (!byCheck.has(p.check)) byCheck.set(p.check, new Map());
    const m = byCheck.get(p.check);
    m.set(p.message, [...(m.get(p.message) ?? []), p.where]);
  }
  for (const [check, m] of byCheck) {
    console.log(`  ${check}:`);
    for (const [message, wheres] of m) {
      console.log(`    ${message}\n      on ${wheres.slice(0, 6).join(', ')}${wheres.length > 6 ? ` and ${wheres.length - 6} more` : ''}`);
    }
  }
}
if (problems.length) {
  console.log(`\nbrowser suite: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('browser suite: no problems');
