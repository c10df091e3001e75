#!/usr/bin/env node
// Browser test of what a reader sees and does on the site `adr html` builds,
// on the demo repository (made by the steps of tests/demo.sh, with the adr
// under test) and on a generated log of 1,000 records (tests/bench/
// gen_repo.py), in Debian's chromium driven by playwright-core:
//  - axe-core finds no violation on the log and on record pages, light and
//    dark, wide and on a phone;
//  - every href and src of every page resolves to a file inside the site (and
//    a fragment to an id in it);
//  - a phone (390 px) reads the log: titles get the width, no sideways scroll;
//  - without JavaScript the search and filters are not shown;
//  - print: readable badges with a dark preference, a search prints its
//    results in their order; the focus ring has 3:1 against the page;
//  - from file://, Back keeps the search, and a changed fragment is followed;
//  - no results says so; "5" finds 0005, status words and one typo are found;
//  - newest first, sortable columns (aria-sort), months, superseded rows
//    struck through, previous/next on record pages, short links NNNN.html;
//  - no console or CSP error, no request leaving the site.
// Screenshots (index and record pages, 1280 and 390 px, light and dark) go to
// $ADR_SCREENSHOTS (default: the current directory).
'use strict';

const lib = require('./lib.js');
const { ADR, SHOTS, check, workspace, waitFor, checkClean, withBrowser, runTest } = lib;
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const SRC = path.resolve(__dirname, '..', '..');
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const ws = workspace('adr-a11y-');
const { tmp, env } = ws;

// The demo: tests/demo.sh from where it makes the repository on, with the
// adr under test instead of the one it would build.
function makeDemo() {
	const script = fs.readFileSync(path.join(SRC, 'tests', 'demo.sh'), 'utf8');
	const from = script.search(/^DEMO=/m);
	if (from < 0) throw new Error('tests/demo.sh: no DEMO= line');
	const file = path.join(tmp, 'demo.sh');
	fs.writeFileSync(file, `set -euo pipefail\nSRC=${JSON.stringify(SRC)}\nADR=${JSON.stringify(ADR)}\n` +
		script.slice(from));
	const demo = path.join(tmp, 'demo');
	execFileSync('bash', [file, demo], { cwd: tmp, env, stdio: 'pipe' });
	return demo + '-site';
}

function makeBig() {
	const repo = path.join(tmp, 'big');
	execFileSync('python3', [path.join(SRC, 'tests', 'bench', 'gen_repo.py'), '1000', repo], { env, stdio: 'pipe' });
	const site = path.join(tmp, 'big-site');
	execFileSync(ADR, ['html', '-o', site, '--title', 'Generated log'], { cwd: repo, env, stdio: 'pipe' });
	return site;
}

// A context that records errors, CSP reports, failed responses and requests leaving the site.
function open(browser, base, root, opts) {
	return lib.open(browser, base, root, opts, { csp: true, httpErrors: true });
}

// WCAG contrast of two computed colours (rgb()/rgba(), alpha ignored).
function contrast(a, b) {
	const lum = (c) => {
		const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map((v) => {
			v = Number(v) / 255;
			return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
		});
		return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
	};
	const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
	return (x + 0.05) / (y + 0.05);
}

async function logRows(page) {
	return page.$$eval('#log tbody tr[data-n], #results tbody tr[data-n]', (trs) => trs
		.filter((tr) => tr.checkVisibility())
		.map((tr) => ({ n: tr.getAttribute('data-n'), date: tr.querySelector('td.date').textContent,
			title: tr.querySelector('.title a').textContent })));
}
// An attribute of the first element that matches, or null (no waiting:
// against a site without the feature the check fails, the test goes on).
function attr(page, sel, name) {
	return page.evaluate(([s, n]) => { const e = document.querySelector(s); return e ? e.getAttribute(n) : null; }, [sel, name]);
}
async function tryClick(page, sel) {
	try {
		await page.click(sel, { timeout: 2000 });
		return true;
	} catch (e) {
		return false;
	}
}
function countIs(text) {
	return document.getElementById('count').textContent === text;
}

// --- the link crawl -------------------------------------------------------
function crawl(label, root) {
	const files = fs.readdirSync(root).filter((f) => f.endsWith('.html'));
	const ids = new Map();
	const idsOf = (f) => {
		if (!ids.has(f)) {
			const text = fs.readFileSync(path.join(root, f), 'utf8');
			ids.set(f, new Set(Array.from(text.matchAll(/\sid="([^"]+)"/g), (m) => m[1])));
		}
		return ids.get(f);
	};
	let links = 0;
	const bad = [];
	for (const f of files) {
		const text = fs.readFileSync(path.join(root, f), 'utf8');
		for (const m of text.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
			links++;
			const raw = m[1].replace(/&amp;/g, '&');
			if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('//')) {
				bad.push(`${f}: ${raw} leaves the site`);
				continue;
			}
			const [pathPart, frag] = raw.split('#');
			const target = pathPart === '' ? path.join(root, f) : path.resolve(root, decodeURIComponent(pathPart.split('?')[0]));
			if (!target.startsWith(root + path.sep) || !fs.existsSync(target) || !fs.statSync(target).isFile()) {
				bad.push(`${f}: ${raw} is not a file of the site`);
				continue;
			}
			// A fragment of a page: an id in it (the search state of the log aside).
			if (frag && target.endsWith('.html') && !/=/.test(frag) && !idsOf(path.basename(target)).has(decodeURIComponent(frag)))
				bad.push(`${f}: ${raw} names no id`);
		}
	}
	check(`${label}: the crawl found links (${links} in ${files.length} pages)`, links > files.length * 3, links);
	check(`${label}: every href and src resolves inside the site`, bad.length === 0, bad.slice(0, 10).join('; '));
}

// --- axe ------------------------------------------------------------------
async function axeScan(browser, base, root, label, pages) {
	for (const scheme of ['light', 'dark']) {
		for (const width of [1280, 390]) {
			// axe is injected as a script: only with the CSP switched off.
			const { context, page } = await open(browser, base, root,
				{ bypassCSP: true, colorScheme: scheme, viewport: { width, height: 900 } });
			for (const f of pages) {
				await page.goto(base + f);
				await page.addScriptTag({ content: AXE });
				const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
				const v = res.violations.map((x) => `${x.id} (${x.nodes.length}: ${x.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')})`);
				check(`${label}: axe finds no violation on ${f} (${scheme}, ${width} px)`, v.length === 0, v.join('; '));
			}
			await context.close();
		}
	}
}

// --- screenshots -----------------------------------------------------------
async function screenshots(browser, base, root, label, recordPage) {
	for (const scheme of ['light', 'dark']) {
		for (const width of [1280, 390]) {
			const { context, page } = await open(browser, base, root, { colorScheme: scheme, viewport: { width, height: 900 } });
			await page.goto(base + 'index.html');
			await page.screenshot({ path: path.join(SHOTS, `a11y-${label}-index-${width}-${scheme}.png`), fullPage: width < 1000 && label === 'demo' });
			await page.goto(base + recordPage);
			await page.screenshot({ path: path.join(SHOTS, `a11y-${label}-record-${width}-${scheme}.png`), fullPage: true });
			await context.close();
		}
	}
}

// --- the demo's checks, one per bug or feature -------------------------------
async function demoChecks(browser, base, root, label) {
	const { context, page, log } = await open(browser, base, root);
	const pageOf = (n) => fs.readdirSync(root).find((f) => f.startsWith(n + '-') && f.endsWith('.html'));

	// Newest first, months, sortable columns.
	await page.goto(base + 'index.html');
	let rows = await logRows(page);
	const newest = rows.every((r, i) => i === 0 || rows[i - 1].date > r.date ||
		(rows[i - 1].date === r.date && Number(rows[i - 1].n) > Number(r.n)));
	check(`${label}: the log is newest first`, rows.length >= 6 && newest, JSON.stringify(rows.map((r) => r.n)));
	check(`${label}: the log is grouped by month`, (await page.$$('#log tr.month th[scope="rowgroup"]')).length >= 1);
	check(`${label}: Date says it is the order`, (await attr(page, '#log th[data-sort="date"]', 'aria-sort')) === 'descending');
	await tryClick(page, '#log th[data-sort="title"] button');
	rows = await logRows(page);
	const titles = rows.map((r) => r.title);
	check(`${label}: a click on Title sorts by title`, rows.length >= 6 &&
		JSON.stringify(titles) === JSON.stringify(titles.slice().sort((a, b) => a.localeCompare(b))), JSON.stringify(titles));
	check(`${label}: Title says it is the order`, (await attr(page, '#results th[data-sort="title"]', 'aria-sort')) === 'ascending' &&
		(await attr(page, '#results th[data-sort="date"]', 'aria-sort')) === null);
	await tryClick(page, '#results th[data-sort="title"] button');
	rows = await logRows(page);
	check(`${label}: a second click reverses it`, JSON.stringify(rows.map((r) => r.title)) === JSON.stringify(titles.slice().reverse()) &&
		(await attr(page, '#results th[data-sort="title"]', 'aria-sort')) === 'descending');
	await tryClick(page, '#results th[data-sort="n"] button');
	rows = await logRows(page);
	check(`${label}: # sorts by number`, rows.map((r) => r.n).join() === rows.map((r) => r.n).sort().join());
	await waitFor(page, () => /sort=n/.test(location.hash), null, 'the order in the address');

	// Superseded rows.
	await page.goto(base + 'index.html');
	const sup = await page.$$eval('#log tr.superseded', (trs) => trs.map((tr) => ({
		n: tr.getAttribute('data-n'), line: getComputedStyle(tr.querySelector('.title > a')).textDecorationLine,
		by: (tr.querySelector('.by') || { textContent: '' }).textContent,
		href: (tr.querySelector('.by a') || { getAttribute: () => '' }).getAttribute('href') })));
	check(`${label}: the superseded record is struck through with "superseded by"`, sup.length >= 1 &&
		sup.every((s) => s.line === 'line-through' && /superseded by \d{4}/.test(s.by) && fs.existsSync(path.join(root, s.href))),
	JSON.stringify(sup));

	// Search: numbers without zeros, status words, one typo; nothing found.
	const supN = await page.$eval('#log tr[data-status="superseded"]', (tr) => tr.getAttribute('data-n'));
	const searches = [['5', '0005'], ['superseded', supN], ['valkye', '0005'], ['postgrsql', '0002'],
		['kafak', '0003']];
	for (const [term, want] of searches) {
		await page.fill('#q', term);
		rows = await logRows(page);
		check(`${label}: searching ${JSON.stringify(term)} finds ${want} first`, rows.length >= 1 && rows[0].n === want,
			JSON.stringify(rows.map((r) => r.n)));
	}
	await page.fill('#q', 'pelicanxyz');
	check(`${label}: no results says so`, (await page.isVisible('#none')) &&
		/^No records match “pelicanxyz”/.test(await page.textContent('#none')) &&
		!(await page.isVisible('#results thead')) && !(await page.isVisible('#log thead')));
	if (label === 'file') await page.screenshot({ path: path.join(SHOTS, 'a11y-demo-no-results.png') });

	// Print: a search prints its results, all of them, in the order shown.
	await page.fill('#q', 'caching');
	const onScreen = (await logRows(page)).map((r) => r.n);
	await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
	await page.emulateMedia({ media: 'print' });
	const printed = (await logRows(page)).map((r) => r.n);
	check(`${label}: printing a search prints its results in their order`, onScreen.length >= 2 &&
		JSON.stringify(printed) === JSON.stringify(onScreen), JSON.stringify([onScreen, printed]));
	// Print with a dark preference: paper white, badges dark enough.
	await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
	await page.goto(base + 'index.html');
	const paper = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
	const badges = await page.$$eval('.status', (els) => els.map((e) => getComputedStyle(e).color));
	const worst = Math.min(...badges.map((c) => contrast(c, paper)));
	check(`${label}: print with a dark preference is readable (${worst.toFixed(2)}:1)`,
		paper === 'rgb(255, 255, 255)' && badges.length > 0 && worst >= 4.5, JSON.stringify([paper, badges]));
	await page.emulateMedia({ media: 'screen', colorScheme: 'light' });

	// The focus ring: 3:1 against the page, light and dark.
	for (const scheme of ['light', 'dark']) {
		await page.emulateMedia({ colorScheme: scheme });
		await page.goto(base + 'index.html');
		await page.keyboard.press('Tab');
		await page.keyboard.press('Tab');
		const ring = await page.evaluate(() => {
			const el = document.activeElement;
			return { tag: el.tagName, color: getComputedStyle(el).outlineColor, style: getComputedStyle(el).outlineStyle,
				bg: getComputedStyle(document.body).backgroundColor };
		});
		const c = contrast(ring.color, ring.bg);
		check(`${label}: the focus ring has 3:1 (${scheme}: ${c.toFixed(2)}:1)`, ring.style !== 'none' && c >= 3, JSON.stringify(ring));
	}
	await page.emulateMedia({ colorScheme: 'light' });

	// Back from a record keeps the search (file:// too); a changed fragment,
	// including none, is followed.
	await page.goto(base + 'index.html');
	await page.focus('#q');
	await page.keyboard.type('valkey', { delay: 10 });
	await page.selectOption('#f-tag', 'storage');
	const before = (await logRows(page)).map((r) => r.n);
	await Promise.all([page.waitForNavigation(), page.click('#results tbody tr a')]);
	await page.goBack();
	await waitFor(page, (n) => document.querySelectorAll('#results tbody tr').length === n, before.length, 'the results after Back');
	check(`${label}: Back keeps the search and the filter`, (await page.inputValue('#q')) === 'valkey' &&
		(await page.inputValue('#f-tag')) === 'storage' &&
		JSON.stringify((await logRows(page)).map((r) => r.n)) === JSON.stringify(before), page.url());
	await page.evaluate(() => { location.hash = 'tag=messaging'; });
	await waitFor(page, () => document.getElementById('f-tag').value === 'messaging', null, 'the tag fragment');
	check(`${label}: a new #tag= is followed`, (await page.inputValue('#q')) === '' &&
		(await logRows(page)).every((r) => r.n === '0003'));
	await page.evaluate(() => { location.hash = ''; });
	await waitFor(page, () => document.getElementById('f-tag').value === '', null, 'the fragment taken away');
	check(`${label}: a fragment taken away shows the whole log`, (await logRows(page)).length >= 6);

	// A record page: previous, next, the way back; short links.
	const third = pageOf('0003');
	await page.goto(base + third);
	check(`${label}: a record page links its neighbours`,
		(await attr(page, '.recnav a[rel="prev"]', 'href')) === pageOf('0002') &&
		(await attr(page, '.recnav a[rel="next"]', 'href')) === pageOf('0004') &&
		(await attr(page, '.pager a[rel="next"]', 'href')) === pageOf('0004'));
	await page.goto(base + pageOf('0001'));
	check(`${label}: the first record has no previous`, (await page.$('a[rel="prev"]')) === null &&
		(await page.$('.recnav a[rel="next"]')) !== null);
	await page.goto(base + '0004.html').catch(() => {});
	await page.waitForURL(/0004-.+\.html$/, { timeout: 5000 }).catch(() => {});
	check(`${label}: 0004.html leads to the record's page`, page.url().endsWith(pageOf('0004')), page.url());

	checkClean(label, log, 'no console or CSP error');
	await context.close();

	// Without JavaScript: the log, no dead controls; short links still work.
	const off = await open(browser, base, root, { javaScriptEnabled: false });
	await off.page.goto(base + 'index.html');
	check(`${label}: without JavaScript the search and filters are not shown`,
		!(await off.page.isVisible('#controls')) && !(await off.page.isVisible('#q')) &&
		(await logRows(off.page)).length >= 6);
	await off.page.goto(base + '0004.html').catch(() => {});
	await off.page.waitForURL(/0004-.+\.html$/, { timeout: 5000 }).catch(() => {});
	check(`${label}: without JavaScript 0004.html leads on`, off.page.url().endsWith(pageOf('0004')), off.page.url());
	check(`${label}: without JavaScript no console or CSP error`, off.log.errors.length === 0, JSON.stringify(off.log.errors));
	await off.context.close();

	// A phone: titles get the width, nothing scrolls sideways.
	const phone = await open(browser, base, root, { viewport: { width: 390, height: 844 } });
	await phone.page.goto(base + 'index.html');
	const m = await phone.page.evaluate(() => ({
		overflow: document.documentElement.scrollWidth - window.innerWidth,
		narrowest: Math.min(...Array.from(document.querySelectorAll('#log td.title'), (td) => td.getBoundingClientRect().width)),
	}));
	check(`${label}: on a phone titles get the width (${Math.round(m.narrowest)} px)`, m.narrowest >= 390 * 0.7, JSON.stringify(m));
	check(`${label}: on a phone nothing scrolls sideways`, m.overflow <= 0, JSON.stringify(m));
	await phone.context.close();
}

// --- the generated log ----------------------------------------------------------
async function bigChecks(browser, base, root, label) {
	const { context, page, log } = await open(browser, base, root);
	await page.goto(base + 'index.html');
	const months = await page.$$eval('#log tbody tr', (trs) => {
		const names = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
			'October', 'November', 'December'];
		let cur = null, groups = 0, wrong = 0;
		for (const tr of trs) {
			if (tr.classList.contains('month')) { cur = tr.textContent.trim(); groups++; continue; }
			const d = tr.getAttribute('data-date');
			if (!d || cur !== `${names[Number(d.slice(5, 7)) - 1]} ${d.slice(0, 4)}`) wrong++;
		}
		return { groups, wrong };
	});
	check(`${label}: the months group the rows`, months.groups >= 2 && months.wrong === 0, JSON.stringify(months));
	const rows = await logRows(page);
	check(`${label}: 1,000 rows, newest first`, rows.length === 1000 &&
		rows.every((r, i) => i === 0 || rows[i - 1].date >= r.date), rows.length);
	await page.fill('#q', '7');
	const found = await logRows(page);
	check(`${label}: "7" finds 0007 first`, found.length >= 1 && found[0].n === '0007', JSON.stringify(found.slice(0, 3)));
	// Print after a search: every result, not the first 50.
	await page.fill('#q', 'storage');
	const total = Number((await page.textContent('#count')).match(/^\d+/)[0]);
	await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
	await page.emulateMedia({ media: 'print' });
	check(`${label}: printing a long search prints all its results`, total > 50 && (await logRows(page)).length === total, total);
	await page.emulateMedia({ media: 'screen' });
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto(base + 'index.html');
	check(`${label}: on a phone nothing scrolls sideways`,
		await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
	checkClean(label, log, 'no console or CSP error');
	await context.close();
}

runTest('browser a11y', async () => {
	const demo = makeDemo();
	const big = makeBig();
	await withBrowser(ws, [demo, big], async (browser, [demoHttp, bigHttp]) => {
		crawl('demo', demo);
		crawl('generated', big);
		const demoRecords = fs.readdirSync(demo).filter((f) => /^\d{4}-.+\.html$/.test(f));
		const bigRecords = fs.readdirSync(big).filter((f) => /^\d{4}-.+\.html$/.test(f));
		const superseded = demoRecords.find((f) => /superseded/.test(fs.readFileSync(path.join(demo, f), 'utf8').match(/<span class="status[^>]*>/)[0]));
		await axeScan(browser, demoHttp, demo, 'demo', ['index.html', demoRecords[0], superseded || demoRecords[1],
			demoRecords[demoRecords.length - 1], fs.readdirSync(demo).find((f) => f.startsWith('tag-'))]);
		await axeScan(browser, bigHttp, big, 'generated', ['index.html', bigRecords[0], bigRecords[bigRecords.length - 1]]);
		await screenshots(browser, 'file://' + demo + '/', demo, 'demo', superseded || demoRecords[0]);
		await screenshots(browser, 'file://' + big + '/', big, 'generated', bigRecords[bigRecords.length - 1]);
		await demoChecks(browser, 'file://' + demo + '/', demo, 'file');
		await demoChecks(browser, demoHttp, demo, 'http');
		await bigChecks(browser, bigHttp, big, 'generated');
	});
});
