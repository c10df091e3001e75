#!/usr/bin/env node
// Benchmark of the search box of a site `adr html` built: the time from a
// keystroke to the frame in which its results are painted, in Debian's
// chromium driven by playwright-core (installed in tests/browser by
// `npm ci`, or found through NODE_PATH / PLAYWRIGHT_CORE).
//
//   node tests/bench/site_search.mjs SITE_DIR [--runs 20] [--http] [--screenshot FILE]
//
// Method. For each query the box is first filled with all of it but its last
// character and the page is left to settle; then the last key is pressed for
// real (CDP Input.dispatchKeyEvent: keydown, input, keyup). In the page:
//   t0 = the keydown event's timeStamp (when the browser took the event in,
//        so the wait for the main thread counts too);
//   a MutationObserver on #count (the site rewrites the count line once the
//        results are in the DOM, on every search, debounced or not) requests
//        an animation frame; that frame does the style, layout and paint of
//        the new results; a message posted from inside the rAF callback runs
//        once that frame's rendering is done;
//   t1 = performance.now() in that message's handler.
// t1 - t0 is reported per query; the summary gives the median and p90 and a
// machine-readable line:
//   site-search median_ms=X p90_ms=Y n=20 records=N
// The queries are taken from the site's own search index (so any site works):
// title words, tag names, prefixes, two-word queries, a number, a person and
// words that match nothing. The very first keystroke on the page is timed the
// same way and reported apart (it also hides the log's own table; the word
// index is built in idle time after load, or by that keystroke if it is not
// done yet).
// Nothing leaves the machine: file:// by default, or a server on 127.0.0.1
// that this script starts (--http).
import { createRequire } from 'module';
import fs from 'fs';
import http from 'http';
import path from 'path';
import { fileURLToPath } from 'url';

const here = path.dirname(fileURLToPath(import.meta.url));
function loadPlaywright() {
	const tries = [process.env.PLAYWRIGHT_CORE, path.join(here, '..', 'browser', 'package.json'), import.meta.url];
	for (const t of tries) {
		if (!t) continue;
		try {
			return createRequire(t.startsWith('file:') || t.endsWith('.json') ? t : path.join(t, 'x.js'))('playwright-core');
		} catch (e) { /* next */ }
	}
	throw new Error('playwright-core not found: run `npm ci` in tests/browser, or set PLAYWRIGHT_CORE');
}

function usage() {
	console.error('usage: site_search.mjs SITE_DIR [--runs N] [--http] [--screenshot FILE]');
	process.exit(2);
}

const args = process.argv.slice(2);
let site = null, runs = 20, useHttp = false, shot = null;
for (let i = 0; i < args.length; i++) {
	if (args[i] === '--runs') runs = parseInt(args[++i], 10);
	else if (args[i] === '--http') useHttp = true;
	else if (args[i] === '--screenshot') shot = args[++i];
	else if (args[i].startsWith('-')) usage();
	else site = args[i];
}
if (!site || !(runs > 0)) usage();
site = path.resolve(site);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function readDocs() {
	const text = fs.readFileSync(path.join(site, 'search-index.js'), 'utf8');
	const json = text.slice(text.indexOf('=') + 1).trim().replace(/;$/, '');
	return JSON.parse(json).docs;
}

// Deterministic queries of at least two characters from the documents.
function pickQueries(docs, n) {
	const words = (s) => String(s || '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4);
	const at = (k) => docs[Math.floor((k * 7919) % docs.length)];
	const out = [];
	const add = (q) => { if (q && q.length >= 2 && !out.includes(q)) out.push(q); };
	const pools = [
		(k) => words(at(k).t)[1],                               // a title word
		(k) => (words(at(k).t)[2] || '').slice(0, 3),           // a prefix
		(k) => (at(k).g || [])[0],                              // a tag
		(k) => words(at(k).x)[k % 5],                           // a body word
		(k) => { const w = words(at(k).t); return w.length > 2 ? w[1] + ' ' + w[2].slice(0, 2) : null; },
		(k) => String(parseInt(at(k).n, 10)),                   // a number
		(k) => ((at(k).p || [])[0] || '').toLowerCase(),        // a person
		(k) => ['zzqxv', 'nosuchword', 'qqqq'][k % 3],          // nothing
	];
	for (let k = 1; out.length < n && k < 1000; k++) add(pools[k % pools.length](k));
	while (out.length < n) out.push('zz' + out.length);
	return out;
}

function serve(root) {
	const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
		'.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.xml': 'application/atom+xml' };
	const server = http.createServer((req, res) => {
		const rel = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname).replace(/^\/+/, '') || 'index.html';
		const file = path.resolve(root, rel);
		if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
			res.writeHead(404);
			res.end();
			return;
		}
		res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
		fs.createReadStream(file).pipe(res);
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// In the page: arm the probe described at the top.
function arm() {
	const w = window;
	if (!w.__probe) {
		w.__probe = { armed: false, t0: 0, t1: 0, done: false };
		document.addEventListener('keydown', (e) => {
			if (w.__probe.armed && !w.__probe.t0) w.__probe.t0 = e.timeStamp;
		}, true);
		const ch = new MessageChannel();
		ch.port1.onmessage = () => {
			if (!w.__probe.done) {
				w.__probe.t1 = performance.now();
				w.__probe.done = true;
			}
		};
		new MutationObserver(() => {
			const p = w.__probe;
			if (p.armed && p.t0 && !p.pending) {
				p.pending = true;
				requestAnimationFrame(() => ch.port2.postMessage(0));
			}
		}).observe(document.getElementById('count'), { childList: true, characterData: true, subtree: true });
	}
	Object.assign(w.__probe, { armed: true, t0: 0, t1: 0, done: false, pending: false });
}

// Two frames with nothing pending, and a pause longer than any debounce.
async function settle(page) {
	await page.waitForTimeout(250);
	await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

// The time from the armed keydown to the painted results (bounded wait).
async function waitPainted(page, q) {
	let r = null;
	for (let i = 0; i < 600 && !(r && r.done); i++) {
		await page.waitForTimeout(i < 50 ? 5 : 20);
		r = await page.evaluate(() => window.__probe);
	}
	if (!r || !r.done) throw new Error(`no results painted for ${JSON.stringify(q)}`);
	return r.t1 - r.t0;
}

async function main() {
	const { chromium } = loadPlaywright();
	const docs = readDocs();
	const queries = pickQueries(docs, runs);
	let server = null;
	let base = 'file://' + site + '/';
	if (useHttp) {
		server = await serve(site);
		base = `http://127.0.0.1:${server.address().port}/`;
	}
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
	});
	const times = [];
	const errors = [];
	try {
		const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
		const page = await context.newPage();
		page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
		page.on('pageerror', (e) => errors.push(String(e)));
		page.on('request', (r) => { if (!r.url().startsWith(base)) errors.push('request outside the site: ' + r.url()); });
		await page.goto(base + 'index.html', { waitUntil: 'load', timeout: 120000 });
		await settle(page);
		// The very first keystroke on the page: it also takes the log's own
		// table out of rendering (reported apart, not in the 20).
		await page.focus('#q');
		await page.evaluate(arm);
		await page.keyboard.press(queries[0][0]);
		const first = await waitPainted(page, queries[0][0]);
		console.log(`  first keystroke on the page: ${first.toFixed(1)} ms`);
		for (const q of queries) {
			await page.fill('#q', q.slice(0, -1));
			await settle(page);
			await page.evaluate(arm);
			await page.keyboard.press(q.slice(-1) === ' ' ? 'Space' : q.slice(-1));
			const ms = await waitPainted(page, q);
			const count = await page.textContent('#count');
			times.push(ms);
			console.log(`  ${JSON.stringify(q).padEnd(24)} ${ms.toFixed(1).padStart(8)} ms  ${count}`);
		}
		if (shot) {
			await page.fill('#q', queries[0]);
			await settle(page);
			await page.screenshot({ path: shot });
			console.log(`screenshot: ${shot}`);
		}
		await context.close();
	} finally {
		await browser.close();
		if (server) server.close();
	}
	if (errors.length) {
		console.error('errors in the page: ' + JSON.stringify(errors.slice(0, 5)));
		process.exit(1);
	}
	const sorted = times.slice().sort((a, b) => a - b);
	const pct = (p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
	const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]
		: (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
	console.log(`median ${median.toFixed(1)} ms, ` +
		`p90 ${pct(0.9).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms over ${times.length} queries`);
	console.log(`site-search median_ms=${median.toFixed(1)} p90_ms=${pct(0.9).toFixed(1)} n=${times.length} records=${docs.length}`);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
