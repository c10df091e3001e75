#!/usr/bin/env node
// Browser test of the site `adr html` builds: Debian's chromium driven by
// playwright-core. It makes a repository with the real adr binary and git,
// builds the site, serves it on 127.0.0.1 with a tiny server it starts
// itself, and checks, from file:// and from http://127.0.0.1:
//  - typing a word from a record's body in the search box finds that record;
//  - the status filter hides what it should;
//  - clicking through reaches the record page with its history and thread;
//  - no console error, no dialog, no request leaving the site;
//  - no script a record brought runs (window.__xss stays undefined);
//  - the search on a log larger than its results cap (search_cases.js).
// Screenshots of the log and a record page go to $ADR_SCREENSHOTS (default:
// the current directory).
'use strict';

const { makeBigRepo, exerciseSearch, exercisePlain } = require('./search_cases.js');
const { ADR, SHOTS, check, workspace, open, waitFor, checkClean, withBrowser, runTest } = require('./lib.js');
const fs = require('fs');
const path = require('path');

const ws = workspace('adr-browser-');
const { tmp, env: gitEnv, git } = ws;

const XSS_TITLE = '<script>window.__xss=1</script> "onmouseover="window.__xss=2" <img src=x onerror=window.__xss=3>';

function makeRepo() {
	const repo = path.join(tmp, 'repo');
	const dir = path.join(repo, 'docs', 'decisions');
	fs.mkdirSync(dir, { recursive: true });
	git(tmp, 'init', '-q', '-b', 'main', repo);
	const rec = (name, text) => fs.writeFileSync(path.join(dir, name), text);
	rec('0001-use-postgres.md', `---
status: accepted
date: 2026-11-01
decision-makers: [Ana Lima, Bo Chen]
mode: sync
tags: [storage]
---
# Use PostgreSQL for the event store

## Context

We need a durable store; the pelican team knows it well.

## Decision

PostgreSQL, superseding nothing. See [Kafka](0002-use-kafka.md#decision).
`);
	rec('0002-use-kafka.md', `---
status: proposed
date: 2026-11-05
review-by: 2026-11-28
mode: async
tags: [messaging]
decision-makers: [Bo Chen]
---
# Use Kafka for messaging

## Decision

We propose Kafka because the flamingo workload is bursty.
`);
	rec('0003-retire-cron.md', `---
status: deprecated
date: 2026-10-01
mode: sync
tags: [ops]
---
# Retire the cron host

Everything moves to the scheduler.
`);
	rec('0004-payloads.md', `---
status: accepted
date: 2026-11-10
decision-makers: ["<img src=x onerror=window.__xss=4>", "\\" onmouseover=\\"window.__xss=5"]
consulted: ["javascript:window.__xss=6"]
tags: ["<script>window.__xss=7</script>", "\\" autofocus onfocus=\\"window.__xss=8"]
mode: async
---
# ${XSS_TITLE}

<script>window.__xss=9</script>

[click me](javascript:window.__xss=10) [data](data:text/html,<script>window.__xss=11</script>)

<svg onload="window.__xss=12"><circle r="5"/></svg>

<img src=x onerror="window.__xss=13">

\`\`\`"><script>window.__xss=14</script>
</script><script>window.__xss=15</script>
\`\`\`

Text </script><script>window.__xss=16</script> and \u2028 too. Word: hummingbird.
`);
	git(repo, 'add', '-A');
	git(repo, 'commit', '-q', '-m', 'records');
	// A decision made asynchronously: proposed, discussed with votes, accepted,
	// then implemented by a commit that refers to it.
	const adr = (env, ...args) => ws.run(ADR, args, repo, env);
	adr({}, 'propose', '--no-edit', 'Cache sessions in Redis');
	adr({ GIT_AUTHOR_NAME: 'Bo Chen' }, 'comment', 'adr/cache-sessions-in-redis', '--object', '-m',
		'What about memory limits? <script>window.__xss=20</script>');
	adr({ GIT_AUTHOR_NAME: 'Cy Diaz' }, 'comment', 'adr/cache-sessions-in-redis', '--approve', '-m', 'Fine with an eviction policy.');
	adr({}, 'accept', 'adr/cache-sessions-in-redis', '--reason', 'Agreed with an LRU limit');
	fs.writeFileSync(path.join(repo, 'cache.c'), 'int cache;\n');
	git(repo, 'add', 'cache.c');
	git(repo, 'commit', '-q', '-m', 'Add the session cache\n\nRefs: ADR-0005');
	return repo;
}

function countIs(text) {
	return document.getElementById('count').textContent === text;
}

function firstResultIs(n) {
	const tr = document.querySelector('#results tbody tr');
	return !!tr && tr.getAttribute('data-n') === n;
}

// Mouse and focus events on every element that a payload could have put a
// handler on (if escaping had failed), plus a real hover on a few.
async function fireEverywhere(page, selector) {
	await page.$$eval(selector, (els) => els.forEach((el) => {
		for (const t of ['mouseover', 'mouseenter', 'mousemove', 'focus', 'click']) {
			if (t === 'click' && el.tagName === 'A') continue;
			el.dispatchEvent(new Event(t, { bubbles: true }));
		}
	}));
	for (const el of (await page.$$(selector)).slice(0, 20)) await el.hover({ timeout: 300 }).catch(() => {});
}

async function visibleRows(page) {
	return page.$$eval('#log tbody tr[data-n], #results tbody tr[data-n]', (trs) => trs.filter((tr) => tr.checkVisibility())
		.map((tr) => ({ n: tr.getAttribute('data-n'), status: tr.getAttribute('data-status') })));
}

async function exercise(browser, base, label, siteRoot) {
	const { context, page, log } = await open(browser, base, siteRoot,
		{ viewport: { width: 1200, height: 800 } });
	const dialogs = [];
	page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });

	await page.goto(base + 'index.html');
	const all = await visibleRows(page);
	check(`${label}: the log lists every record`, all.length === 5, all.length);

	// Search as you type: a word that is only in a record's body.
	await page.focus('#q');
	await page.keyboard.type('flamin', { delay: 20 });
	await waitFor(page, countIs, '1 decision of 5', 'the search for flamin');
	let rows = await visibleRows(page);
	check(`${label}: search finds the record by a body word`, rows.length === 1 && rows[0].n === '0002',
		JSON.stringify(rows));
	await page.fill('#q', 'hummingbird');
	await waitFor(page, firstResultIs, '0004', 'the search for hummingbird');
	rows = await visibleRows(page);
	check(`${label}: search finds the payload record by its body word`, rows.length === 1 && rows[0].n === '0004',
		JSON.stringify(rows));
	await page.fill('#q', 'postgresql');
	await waitFor(page, firstResultIs, '0001', 'the search for postgresql');
	rows = await visibleRows(page);
	check(`${label}: a title match ranks first`, rows.length >= 1 && rows[0].n === '0001', JSON.stringify(rows));
	await page.fill('#q', 'nosuchwordanywhere');
	await waitFor(page, countIs, '0 decisions of 5', 'a search that finds nothing');
	await page.fill('#q', '');
	await waitFor(page, countIs, '5 decisions', 'the empty search');

	// The status filter.
	await page.selectOption('#f-status', 'accepted');
	rows = await visibleRows(page);
	check(`${label}: the status filter keeps accepted records only`,
		rows.length === 3 && rows.every((r) => r.status === 'accepted'), JSON.stringify(rows));
	await page.selectOption('#f-status', 'deprecated');
	rows = await visibleRows(page);
	check(`${label}: the status filter hides the others`, rows.length === 1 && rows[0].n === '0003',
		JSON.stringify(rows));
	await page.selectOption('#f-status', '');
	await page.selectOption('#f-mode', 'async');
	rows = await visibleRows(page);
	check(`${label}: the mode filter`, rows.length === 3, JSON.stringify(rows));
	await page.selectOption('#f-mode', '');

	// Keyboard: "/" focuses the search box.
	await page.click('h1');
	await page.keyboard.press('/');
	check(`${label}: '/' focuses the search box`, await page.evaluate(() => document.activeElement.id === 'q'));
	await page.keyboard.press('Escape');

	if (label === 'file') await page.screenshot({ path: path.join(SHOTS, 'adr-html-log.png'), fullPage: true });

	// Click through to a record.
	await Promise.all([page.waitForNavigation(), page.click('a[href="0002-use-kafka.html"]:visible')]);
	check(`${label}: the record page opens`, (await page.textContent('h1')).includes('Use Kafka for messaging'));
	check(`${label}: the record page has its history`, (await page.textContent('#sec-history')) === 'History' &&
		(await page.$$('.timeline li')).length >= 1);
	check(`${label}: the record page has its discussion thread`,
		(await page.textContent('#sec-thread')) === 'Discussion');
	check(`${label}: the record page shows its details`, (await page.textContent('.meta')).includes('Bo Chen'));

	// The record decided through a proposal: its thread with votes, its
	// timeline and the commit that implements it. Reached from the log.
	await page.goto(base + 'index.html');
	await page.fill('#q', 'redis');
	await waitFor(page, countIs, '1 decision of 5', 'the search for redis');
	await Promise.all([page.waitForNavigation(), page.click('#results tbody tr a')]);
	const comments = await page.$$eval('.comments .comment', (cs) => cs.map((c) => c.textContent));
	check(`${label}: the thread shows the comments with votes`, comments.length === 3 &&
		/Bo Chen.*object/s.test(comments[0]) && /Cy Diaz.*approve/s.test(comments[1]) &&
		comments[0].includes('<script>window.__xss=20</script>'), JSON.stringify(comments));
	const events = await page.$$eval('.timeline li', (ls) => ls.map((l) => l.querySelector('.what').textContent));
	check(`${label}: the history shows proposed, commented and decided`,
		JSON.stringify(events) === JSON.stringify(['proposed', 'commented', 'commented', 'decided']), JSON.stringify(events));
	check(`${label}: the implementing commit is shown`,
		(await page.textContent('#sec-commits')) === 'Implemented by' &&
		(await page.textContent('.commits')).includes('Add the session cache'));
	check(`${label}: no injected script ran on the thread`, await page.evaluate(() => window.__xss === undefined));
	if (label === 'file') await page.screenshot({ path: path.join(SHOTS, 'adr-html-record.png'), fullPage: true });

	// Payloads: open the page, hover and focus everything, nothing runs.
	const payloadPage = fs.readdirSync(siteRoot).find((f) => f.startsWith('0004'));
	await page.goto(base + payloadPage);
	await fireEverywhere(page, 'a, .tag, span, td, li, h1, code, dd');
	for (let i = 0; i < 30; i++) await page.keyboard.press('Tab');
	check(`${label}: the payload title shows as text`, (await page.textContent('h1')).includes('<script>window.__xss=1</script>'));
	check(`${label}: no injected script ran on the record page`, await page.evaluate(() => window.__xss === undefined));
	if (label === 'file') await page.screenshot({ path: path.join(SHOTS, 'adr-html-payloads.png'), fullPage: true });
	await page.goto(base + 'index.html');
	await fireEverywhere(page, '#log td, #log a, #log tr');
	await page.fill('#q', 'script');
	await page.waitForTimeout(100);
	check(`${label}: no injected script ran on the log`, await page.evaluate(() => window.__xss === undefined));
	const tagPage = fs.readdirSync(siteRoot).find((f) => f.startsWith('tag-') && f !== 'tag-storage.html' &&
		f !== 'tag-messaging.html' && f !== 'tag-ops.html');
	if (tagPage) {
		await page.goto(base + tagPage);
		check(`${label}: no injected script ran on a tag page`, await page.evaluate(() => window.__xss === undefined));
	}

	// Escaping alone must hold: the same pages with the CSP switched off.
	{
		const loose = await browser.newContext({ bypassCSP: true });
		const p2 = await loose.newPage();
		for (const f of [payloadPage, 'index.html', tagPage].filter(Boolean)) {
			await p2.goto(base + f);
			await fireEverywhere(p2, 'a, .tag, span, td, li, h1, code, dd, tr');
			check(`${label}: without the CSP, no injected script runs on ${f}`,
				await p2.evaluate(() => window.__xss === undefined));
		}
		await loose.close();
	}

	// The dark preference is followed.
	await page.emulateMedia({ colorScheme: 'dark' });
	await page.goto(base + 'index.html');
	const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
	check(`${label}: dark preference gives a dark background`, bg === 'rgb(18, 22, 27)', bg);
	if (label === 'file') await page.screenshot({ path: path.join(SHOTS, 'adr-html-log-dark.png') });

	// A phone.
	await page.setViewportSize({ width: 375, height: 740 });
	await page.goto(base + 'index.html');
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	check(`${label}: no horizontal scrolling on a phone`, overflow <= 0, overflow);
	if (label === 'file') await page.screenshot({ path: path.join(SHOTS, 'adr-html-phone.png') });

	check(`${label}: no dialogs`, dialogs.length === 0, JSON.stringify(dialogs));
	checkClean(label, log);
	await context.close();
}

runTest('browser', async () => {
	const repo = makeRepo();
	const site = path.join(tmp, 'site');
	ws.run(ADR, ['html', '-o', site, '--title', 'Browser test log'], repo);
	const { site: bigSite, plain } = makeBigRepo({ tmp, git, gitEnv, ADR });
	const ctx = { check, waitFor, SHOTS };
	await withBrowser(ws, [site, bigSite], async (browser, [http, bigHttp]) => {
		await exercise(browser, 'file://' + site + '/', 'file', site);
		await exercise(browser, http, 'http', site);
		await exerciseSearch(ctx, browser, 'file://' + bigSite + '/', 'file', bigSite);
		await exerciseSearch(ctx, browser, bigHttp, 'http', bigSite);
		await exercisePlain(ctx, browser, plain);
	});
});
