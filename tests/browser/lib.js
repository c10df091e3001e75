// What the browser tests share: the check counters and the summary, a
// temporary directory with git's environment scrubbed, a tiny static server
// on 127.0.0.1, Debian's chromium launched the same way, and pages whose
// requests outside the site are blocked and counted and whose console
// errors are collected. Each test keeps its own repository and its checks.
'use strict';

const { chromium } = require('playwright-core');
const { execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');

const ADR = process.env.ADR;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.ADR_SCREENSHOTS || process.cwd();

const counts = { passed: 0, failed: 0 };

// Counts one check; a failed one is printed with what and, if given, why.
function check(what, ok, detail) {
	if (ok) {
		counts.passed++;
	} else {
		counts.failed++;
		console.error(`FAIL: ${what}${detail !== undefined ? ': ' + detail : ''}`);
	}
}

// A fresh temporary directory (its name starts with `prefix`) with an empty
// home in it, and the environment git and adr run in: that home, no system
// configuration, Ana Lima as author and committer, no GIT_DIR, GIT_WORK_TREE
// or editor from the caller; `extra` is added on top.
// git(cwd, ...args) and run(cmd, args, cwd, more) run in that environment
// (`more` added for the one command) and return the standard output.
function workspace(prefix, extra) {
	const tmp = fs.mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), prefix));
	const env = Object.assign({}, process.env, {
		HOME: path.join(tmp, 'home'),
		GIT_CONFIG_NOSYSTEM: '1',
		GIT_AUTHOR_NAME: 'Ana Lima', GIT_AUTHOR_EMAIL: 'ana@example.com',
		GIT_COMMITTER_NAME: 'Ana Lima', GIT_COMMITTER_EMAIL: 'ana@example.com',
	}, extra || {});
	for (const v of ['GIT_DIR', 'GIT_WORK_TREE', 'VISUAL', 'EDITOR']) delete env[v];
	fs.mkdirSync(env.HOME);
	const run = (cmd, args, cwd, more) => execFileSync(cmd, args,
		{ cwd, encoding: 'utf8', stdio: 'pipe', env: more ? Object.assign({}, env, more) : env });
	return {
		tmp, env, run,
		git: (cwd, ...args) => run('git', args, cwd),
		// Removes the directory, unless KEEP_TMP is set.
		remove: () => { if (!process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true }); },
	};
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8', '.xml': 'application/atom+xml', '.svg': 'image/svg+xml', '.png': 'image/png' };

// Serves the files under `root` on 127.0.0.1 (a free port; `/` is
// index.html; anything else, or outside root, is a 404). Resolves to the
// server; its address is `http://127.0.0.1:${server.address().port}/`.
function serve(root) {
	const server = http.createServer((req, res) => {
		const url = new URL(req.url, 'http://127.0.0.1');
		const file = path.resolve(root, decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html');
		if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
			res.writeHead(404);
			res.end('not found');
			return;
		}
		res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
		fs.createReadStream(file).pipe(res);
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// The base URL a server serves at.
function httpBase(server) {
	return `http://127.0.0.1:${server.address().port}/`;
}

// Debian's chromium, headless, with nothing talking to the network by itself.
function launch() {
	return chromium.launch({
		executablePath: CHROMIUM,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
	});
}

// Whether a URL is in the site: under `root` for a file:// base, else under `base`.
function insideSite(base, root, url) {
	return base.startsWith('file:') ? url.startsWith('file://' + root + '/') : url.startsWith(base);
}

// Aborts every request of `target` (a context or a page) that is not to the
// site, and pushes its URL to `outside`.
async function blockOutside(target, base, root, outside) {
	await target.route('**/*', (route) => {
		const u = route.request().url();
		if (insideSite(base, root, u)) return route.continue();
		outside.push(u);
		return route.abort();
	});
}

// Pushes the page's console errors and uncaught exceptions to `errors`;
// with opts.csp also any console message about the Content Security Policy,
// with opts.httpErrors also every response of status 400 or more.
function collectErrors(page, errors, opts) {
	const o = opts || {};
	page.on('console', (m) => {
		if (m.type() === 'error' || (o.csp && /Content.Security.Policy/i.test(m.text()))) errors.push(m.text());
	});
	page.on('pageerror', (e) => errors.push(String(e)));
	if (o.httpErrors) page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
}

// A new context (contextOpts; 1280x900 unless a viewport is given) and page
// on the site at `base` (files under `root`): requests outside the site are
// blocked and counted in log.outside, errors collected in log.errors (opts
// as for collectErrors).
async function open(browser, base, root, contextOpts, opts) {
	const context = await browser.newContext(Object.assign({ viewport: { width: 1280, height: 900 } }, contextOpts || {}));
	const page = await context.newPage();
	const log = { errors: [], outside: [] };
	collectErrors(page, log.errors, opts);
	await blockOutside(context, base, root, log.outside);
	return { context, page, log };
}

// page.waitForFunction() evaluates strings, which the site's CSP forbids
// (rightly): polls fn(arg) with evaluate() instead, 100 times 30 ms at most;
// a timeout is a failed check "waiting for <what>".
async function waitFor(page, fn, arg, what) {
	for (let i = 0; i < 100; i++) {
		if (await page.evaluate(fn, arg)) return true;
		await page.waitForTimeout(30);
	}
	check(`waiting for ${what}`, false);
	return false;
}

// The two checks a page ends with: "<label>: no console errors" (or
// "<label>: <errorsWhat>") and "<label>: no request left the site", on the
// log open() gave.
function checkClean(label, log, errorsWhat) {
	check(`${label}: ${errorsWhat || 'no console errors'}`, log.errors.length === 0, JSON.stringify(log.errors));
	check(`${label}: no request left the site`, log.outside.length === 0, JSON.stringify(log.outside));
}

// Serves each directory of `roots` on 127.0.0.1, launches chromium and runs
// body(browser, bases), bases[i] being the http:// base of roots[i]; then
// closes the browser and the servers and removes the workspace `ws`.
async function withBrowser(ws, roots, body) {
	const servers = [];
	let browser = null;
	try {
		for (const root of roots) servers.push(await serve(root));
		browser = await launch();
		await body(browser, servers.map(httpBase));
	} finally {
		if (browser) await browser.close();
		servers.forEach((s) => s.close());
		ws.remove();
	}
}

// Runs a test's body (after checking ADR is set and making the screenshots
// directory), then prints "<name>: N passed, M failed" and exits 1 if a
// check failed or the body threw.
function runTest(name, body) {
	(async () => {
		if (!ADR) throw new Error('ADR must point at the adr binary');
		fs.mkdirSync(SHOTS, { recursive: true });
		await body();
		console.log(`screenshots in ${SHOTS}`);
		console.log(`${name}: ${counts.passed} passed, ${counts.failed} failed`);
		process.exit(counts.failed ? 1 : 0);
	})().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}

module.exports = {
	ADR, CHROMIUM, SHOTS, check, workspace, serve, httpBase, launch, insideSite, blockOutside, collectErrors,
	open, waitFor, checkClean, withBrowser, runTest,
};
