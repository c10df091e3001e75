#!/usr/bin/env node
// Browser test of the links between records and of a superseded record's
// history (issue 16, bugs 1 and 4), in Debian's chromium driven by
// playwright-core. A repository made with the real adr binary and git has a
// superseded chain whose superseding record is internal-only, a link to a
// record that does not exist, a proposal past its comment deadline. The
// internal and the partner site are built from it and read, over
// http://127.0.0.1 (a tiny server started here) and from file://:
//  - no link on a record page points to the page itself;
//  - a record the audience cannot see, and one that does not exist, are
//    text without a link (details, banner, related);
//  - the history is in date order, and the supersession is its own entry
//    naming who superseded the decision and when; the decision before it
//    reads "accepted"; a comment deadline gone by is flagged past;
//  - every <time> has a valid datetime;
//  - no console error, no request leaving the site (all others are blocked).
// Screenshots of a record page with its history at 1280 and 390 px (light
// and dark) go to $ADR_SCREENSHOTS (default: the current directory).
'use strict';

const { ADR, SHOTS, check, workspace, open, checkClean, withBrowser, runTest } = require('./lib.js');
const fs = require('fs');
const path = require('path');

const HIDDEN = 'a record not published for this audience';

const ws = workspace('adr-browser-links-', { ADR_NOW: '2026-11-21T10:00:00Z' });
const { tmp, env: baseEnv } = ws;

function run(cmd, cwd, env, ...args) {
	return ws.run(cmd, args, cwd, env);
}

// The repository: 0001 (partner) decided by Ana on 2026-10-01, superseded
// by Bo on 2026-11-10 with 0005 (internal only); 0002 links to 0001 and to
// 0099, which does not exist; 0003 is superseded by 0077, which does not
// exist either; 0004 is a proposal whose comments were due 2026-11-15.
function makeRepo() {
	const repo = path.join(tmp, 'repo');
	const dir = path.join(repo, 'docs', 'decisions');
	fs.mkdirSync(dir, { recursive: true });
	run('git', tmp, {}, 'init', '-q', '-b', 'main', repo);
	fs.writeFileSync(path.join(repo, '.adr.yaml'), 'dir: docs/decisions\nvisibility: partner\n');
	const rec = (name, text) => fs.writeFileSync(path.join(dir, name), text);
	rec('0001-use-postgresql.md', `---
status: accepted
date: 2026-10-01
decision-makers: [Ana Lima]
revisit: 2027-04-01
tags: [storage]
---
# Use PostgreSQL for the event store

## Context

Events must be stored durably and queried by partners.

## Decision

We use PostgreSQL 15 with one table per stream.
`);
	rec('0002-partner-api.md', `---
status: accepted
date: 2026-10-02
decision-makers: [Ana Lima]
links: [relates-to 1, amends 99]
---
# Offer partners a REST API

## Decision

Partners read events through a versioned REST API.
`);
	rec('0003-old-cache.md', `---
status: superseded
date: 2026-09-01
superseded-by: [77]
---
# Cache sessions in Memcached

## Decision

Memcached, until something better comes.
`);
	rec('0004-pick-a-queue.md', `---
status: proposed
date: 2026-10-03
review-by: 2026-11-15
---
# Pick a message queue

## Decision

To be decided between Kafka and NATS.
`);
	const at = (d) => ({ GIT_AUTHOR_DATE: d, GIT_COMMITTER_DATE: d });
	run('git', repo, {}, 'add', '-A');
	run('git', repo, at('2026-10-01T10:00:00Z'), 'commit', '-q', '-m', 'records');
	fs.writeFileSync(path.join(tmp, 'body.md'), '## Decision\n\nWe move the event store to CockroachDB.\n');
	run(ADR, repo, Object.assign({ GIT_AUTHOR_NAME: 'Bo Chen', ADR_NOW: '2026-11-10T10:00:00Z' }, at('2026-11-10T10:00:00Z')),
		'new', '--visibility', 'internal', '--supersedes', '1', '--date', '2026-11-10', '--decision-maker', 'Bo Chen',
		'--body-file', path.join(tmp, 'body.md'), '--no-edit', 'Use CockroachDB for the event store');
	// A later edit of the superseded record by someone else: the history
	// keeps both, in date order.
	const p1 = path.join(dir, '0001-use-postgresql.md');
	fs.writeFileSync(p1, fs.readFileSync(p1, 'utf8').replace('one table per stream', 'one table per event stream'));
	run('git', repo, Object.assign({ GIT_AUTHOR_NAME: 'Cy Diaz' }, at('2026-11-12T09:30:00Z')), 'commit', '-q', '-am', 'wording');
	return repo;
}

// Facts of the page in the browser: links to the page itself, the texts
// and links of the details, the banner, the history and every <time>.
function pageFacts() {
	const here = location.href.split('#')[0];
	const self = [...document.querySelectorAll('a[href]')]
		.filter((a) => !a.getAttribute('href').startsWith('#') && a.href.split('#')[0] === here)
		.map((a) => a.outerHTML);
	const dd = (name) => {
		const dt = [...document.querySelectorAll('.meta dt')].find((d) => d.textContent === name);
		const d = dt && dt.nextElementSibling;
		return d ? { text: d.textContent, links: [...d.querySelectorAll('a')].map((a) => a.getAttribute('href')) } : null;
	};
	const banner = [...document.querySelectorAll('.record-head .notice')].find((p) => /superseded/.test(p.textContent));
	const events = [...document.querySelectorAll('.timeline li')].map((li) => {
		const t = li.querySelector('time');
		const who = li.querySelector('.who');
		return { what: li.querySelector('.what').textContent, datetime: t ? t.getAttribute('datetime') : null,
			who: who ? who.textContent : null, text: li.textContent, cls: li.className };
	});
	const times = [...document.querySelectorAll('time')].map((t) => t.getAttribute('datetime'));
	return {
		self, events, times,
		supersededBy: dd('Superseded by'), related: dd('Related'),
		banner: banner ? { text: banner.textContent, links: banner.querySelectorAll('a').length } : null,
	};
}

const VALID_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/;

// A date alone (a decision's date, a deadline) is the whole day: it is in
// order with a moment of the same day either way.
function inDateOrder(events) {
	const ds = events.filter((e) => e.datetime).map((e) => e.datetime);
	const day = (d) => d.slice(0, 10);
	for (let i = 1; i < ds.length; i++) {
		const a = ds[i - 1], b = ds[i];
		if (a.length === 10 || b.length === 10 ? day(b) < day(a) : Date.parse(b) < Date.parse(a)) return false;
	}
	return true;
}

async function exercise(browser, base, label, siteRoot, audience) {
	const { context, page, log } = await open(browser, base, siteRoot);

	// the slugged record pages (0001.html is a short link to one of them)
	const pages = fs.readdirSync(siteRoot).filter((f) => /^\d{4}-.*\.html$/.test(f)).sort();
	const want = audience === 'partner' ? 4 : 5;
	check(`${label}: ${audience} site has its record pages`, pages.length === want, JSON.stringify(pages));
	const facts = {};
	for (const f of pages) {
		await page.goto(base + f);
		facts[f.slice(0, 4)] = await page.evaluate(pageFacts);
		const x = facts[f.slice(0, 4)];
		check(`${label}/${audience}: ${f} has no link to itself`, x.self.length === 0, JSON.stringify(x.self));
		check(`${label}/${audience}: ${f}: every <time> has a valid datetime`,
			x.times.every((t) => t && VALID_TIME.test(t)), JSON.stringify(x.times));
		check(`${label}/${audience}: ${f}: history in date order`, inDateOrder(x.events), JSON.stringify(x.events));
		check(`${label}/${audience}: ${f}: event classes are tokens`,
			x.events.every((e) => /^event event-[a-z0-9-]+( event-past)?$/.test(e.cls)), JSON.stringify(x.events.map((e) => e.cls)));
	}

	// 0001: superseded by 0005 (internal only).
	const p1 = facts['0001'];
	if (audience === 'partner') {
		check(`${label}: partner: "Superseded by" is text without a link`,
			p1.supersededBy && p1.supersededBy.text.includes(HIDDEN) && p1.supersededBy.links.length === 0,
			JSON.stringify(p1.supersededBy));
		check(`${label}: partner: the banner names no link`, p1.banner && p1.banner.links === 0 &&
			p1.banner.text.includes(HIDDEN), JSON.stringify(p1.banner));
	} else {
		check(`${label}: internal: "Superseded by" links 0005`, p1.supersededBy &&
			p1.supersededBy.links.length === 1 && p1.supersededBy.links[0].startsWith('0005-'), JSON.stringify(p1.supersededBy));
	}
	const sup = p1.events.find((e) => e.what === 'superseded');
	check(`${label}/${audience}: the supersession is its own history entry with who and when`,
		sup && sup.who === 'Bo Chen' && sup.datetime === '2026-11-10T10:00:00Z', JSON.stringify(p1.events));
	check(`${label}/${audience}: the supersession says by what`, sup && (audience === 'partner'
		? sup.text.includes('by ' + HIDDEN) && !sup.text.includes('CockroachDB')
		: sup.text.includes('by 0005 Use CockroachDB')), sup && sup.text);
	const dec = p1.events.find((e) => e.what === 'decided');
	check(`${label}/${audience}: the decision reads accepted, by its decision-makers`,
		dec && dec.who === 'Ana Lima' && /accepted/.test(dec.text) && !/superseded/.test(dec.text), JSON.stringify(dec));
	check(`${label}/${audience}: history of 0001 in order`,
		JSON.stringify(p1.events.map((e) => e.what)) === JSON.stringify(['created', 'decided', 'superseded', 'edited']),
		JSON.stringify(p1.events.map((e) => e.what)));
	const ed = p1.events.find((e) => e.what === 'edited');
	check(`${label}/${audience}: the later edit names its author`, ed && ed.who === 'Cy Diaz', JSON.stringify(ed));

	// 0002: related to 0001 (a link) and to 0099 (does not exist: text).
	const rel = facts['0002'].related;
	check(`${label}/${audience}: Related links 0001 and shows 0099 as text`, rel &&
		rel.links.length === 1 && rel.links[0].startsWith('0001-') && rel.text.includes('0099 (no such record)'),
		JSON.stringify(rel));
	// 0003: superseded by 0077, which does not exist.
	const p3 = facts['0003'];
	check(`${label}/${audience}: a missing successor is text`, p3.supersededBy && p3.supersededBy.links.length === 0 &&
		p3.supersededBy.text.includes('0077 (no such record)') && p3.banner && p3.banner.links === 0,
		JSON.stringify([p3.supersededBy, p3.banner]));
	// 0004: comments were due 2026-11-15, before ADR_NOW.
	const due = facts['0004'].events.find((e) => e.what === 'comments due');
	check(`${label}/${audience}: a past comment deadline is flagged`,
		due && /event-past/.test(due.cls) && /past/.test(due.text.replace('comments due', '')), JSON.stringify(due));

	if (label === 'file') {
		const p1page = pages.find((f) => f.startsWith('0001'));
		await page.goto(base + p1page);
		await page.screenshot({ path: path.join(SHOTS, `adr-links-${audience}-record-1280.png`), fullPage: true });
		await page.setViewportSize({ width: 390, height: 844 });
		await page.goto(base + p1page);
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		check(`${label}/${audience}: no horizontal scrolling at 390 px`, overflow <= 0, overflow);
		await page.screenshot({ path: path.join(SHOTS, `adr-links-${audience}-record-390.png`), fullPage: true });
		await page.emulateMedia({ colorScheme: 'dark' });
		await page.goto(base + p1page);
		await page.screenshot({ path: path.join(SHOTS, `adr-links-${audience}-record-390-dark.png`), fullPage: true });
		await page.setViewportSize({ width: 1280, height: 900 });
		await page.emulateMedia({ colorScheme: 'light' });
		await page.goto(base + pages.find((f) => f.startsWith('0004')));
		await page.screenshot({ path: path.join(SHOTS, `adr-links-${audience}-proposal-1280.png`), fullPage: true });
	}
	checkClean(`${label}/${audience}`, log);
	await context.close();
}

runTest('browser links', async () => {
	const repo = makeRepo();
	const sites = {};
	for (const audience of ['internal', 'partner']) {
		sites[audience] = path.join(tmp, 'site-' + audience);
		const r = require('child_process').spawnSync(ADR, ['html', '-o', sites[audience], '--audience', audience],
			{ cwd: repo, env: baseEnv, encoding: 'utf8' });
		check(`${audience}: adr html succeeds`, r.status === 0, r.stderr);
		check(`${audience}: adr html warns about the dangling references`,
			/links to 0099 \(amends\): no such record/.test(r.stderr) && /superseded-by 0077: no such record/.test(r.stderr),
			r.stderr);
	}
	await withBrowser(ws, [sites.internal, sites.partner], async (browser, https) => {
		for (const [i, audience] of ['internal', 'partner'].entries()) {
			await exercise(browser, https[i], 'http', sites[audience], audience);
			await exercise(browser, 'file://' + sites[audience] + '/', 'file', sites[audience], audience);
		}
	});
});
