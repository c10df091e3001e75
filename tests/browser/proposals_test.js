#!/usr/bin/env node
// Browser test of open proposals on the site `adr html` builds (issue 16,
// bug 3): Debian's chromium driven by playwright-core, over a repository
// made with the real adr binary and git (proposals, comments, votes), the
// sites served from 127.0.0.1 by a tiny server started here (and read from
// file:// too). It checks that
//  - the index's "Open for comment" lists the overdue proposal with its
//    overdue flag (and not the one whose deadline is still ahead);
//  - clicking through reaches the proposal's page with its text and thread;
//  - the partner site built with --thread none lists only what partners may
//    see and has no thread;
//  - no console error, and no request leaves the site (every other one is
//    blocked and counted).
// Screenshots of the index and a proposal page at 1280 and 390 px, light and
// dark, go to $ADR_SCREENSHOTS (default: the current directory).
'use strict';

const { ADR, SHOTS, check, workspace, open, checkClean, withBrowser, runTest } = require('./lib.js');
const fs = require('fs');
const path = require('path');

const ws = workspace('adr-browser-proposals-');
const { tmp } = ws;

const run = ws.run;

// Proposals are made on the 10th, the sites built on the 21st: the one due
// on the 15th is overdue, the one due in December is not.
const MADE = { ADR_NOW: '2026-11-10T10:00:00Z' };
const BUILT = { ADR_NOW: '2026-11-21T10:00:00Z' };

function makeRepo() {
	const repo = path.join(tmp, 'repo');
	run('git', ['init', '-q', '-b', 'main', repo], tmp);
	run('git', ['commit', '-q', '--allow-empty', '-m', 'start'], repo);
	const body = (name, text) => { const f = path.join(tmp, name); fs.writeFileSync(f, text); return f; };
	const store = body('store.md', '## Context\n\nWe need an event store.\n\n## Decision\n\nWe will use PostgreSQL for the event store.\n');
	const cache = body('cache.md', '## Context\n\nSessions take 400 ms to load from the database on every request, ' +
		'which the partner portal feels on each page.\n\n## Options considered\n\n- Redis with an LRU limit\n' +
		'- A bigger database\n\n## Decision\n\nCache sessions in Redis with an LRU limit of 2 GB.\n');
	run(ADR, ['new', '--no-edit', '--visibility', 'partner', '--decision-maker', 'Ana Lima', '--body-file', store,
		'Use PostgreSQL'], repo, MADE);
	run(ADR, ['propose', '--no-edit', '--visibility', 'partner', '--deadline', '2026-11-15', '--reviewer', 'Bo Chen',
		'--body-file', cache, 'Cache sessions in Redis'], repo, MADE);
	run(ADR, ['comment', 'adr/cache-sessions-in-redis', '--object', '-m', 'Memory limits? What happens at 2 GB?'], repo,
		Object.assign({ GIT_AUTHOR_NAME: 'Bo Chen' }, MADE));
	run(ADR, ['comment', 'adr/cache-sessions-in-redis', '-m', 'A thought from outside the team'], repo,
		Object.assign({ GIT_AUTHOR_NAME: 'Zed Outsider' }, MADE));
	run(ADR, ['propose', '--no-edit', '--deadline', '2026-12-15', '--body-file', cache, 'Rotate the secret plan'],
		repo, MADE);
	return repo;
}

// Builds a site; a build that fails (an option the binary lacks) is a failure, not a crash.
function build(repo, name, args) {
	const out = path.join(tmp, name);
	try {
		run(ADR, ['html', '-o', out, ...args], repo, BUILT);
		check(`${name}: built`, true);
	} catch (e) {
		check(`${name}: built`, false, String(e.stderr || e.message).trim());
		fs.mkdirSync(out, { recursive: true });
		fs.writeFileSync(path.join(out, 'index.html'), '<!doctype html><title>no site</title>');
	}
	return out;
}

async function openSection(page) {
	return page.evaluate(() => {
		const sec = document.getElementById('open');
		if (!sec) return null;
		const h = sec.querySelector('h2');
		return {
			heading: h ? h.textContent.trim() : '',
			visible: sec.checkVisibility(),
			items: [...sec.querySelectorAll('li')].map((li) => ({
				title: (li.querySelector('a') || {}).textContent || '',
				href: (li.querySelector('a') || { getAttribute: () => '' }).getAttribute('href'),
				overdue: !!li.querySelector('.overdue') && li.querySelector('.overdue').checkVisibility(),
				flag: li.querySelector('.overdue') ? li.querySelector('.overdue').textContent.trim() : '',
				text: li.textContent.replace(/\s+/g, ' ').trim(),
			})),
		};
	});
}

async function exerciseInternal(browser, base, label, siteRoot) {
	const { context, page, log: state } = await open(browser, base, siteRoot);
	await page.goto(base + 'index.html');
	const sec = await openSection(page);
	check(`${label}: the index has "Open for comment"`, !!sec && sec.heading === 'Open for comment' && sec.visible,
		JSON.stringify(sec));
	const items = sec ? sec.items : [];
	const cache = items.find((i) => i.title === 'Cache sessions in Redis');
	const plan = items.find((i) => i.title === 'Rotate the secret plan');
	check(`${label}: the overdue proposal is listed`, !!cache, JSON.stringify(items));
	check(`${label}: with its overdue flag`, !!cache && cache.overdue && cache.flag === 'overdue', JSON.stringify(cache));
	check(`${label}: its deadline, votes and owner`, !!cache && /2026-11-15/.test(cache.text) &&
		/0 approve, 1 object/.test(cache.text) && /owner Ana Lima/.test(cache.text), cache && cache.text);
	check(`${label}: the proposal not yet due has no flag`, !!plan && !plan.overdue, JSON.stringify(plan));
	if (label === 'file') {
		await page.screenshot({ path: path.join(SHOTS, 'adr-proposals-index-1280.png'), fullPage: true });
	}
	if (cache) {
		await page.click(`#open a[href="${cache.href}"]`);
		await page.waitForLoadState('load');
		const p = await page.evaluate(() => ({
			h1: document.querySelector('h1') ? document.querySelector('h1').textContent.replace(/\s+/g, ' ').trim() : '',
			body: (document.querySelector('.record-body') || { textContent: '' }).textContent,
			thread: [...document.querySelectorAll('.thread .comments li')].map((li) => li.textContent.replace(/\s+/g, ' ').trim()),
			threadVisible: !!document.querySelector('.thread') && document.querySelector('.thread').checkVisibility(),
			flag: !!document.querySelector('.record-head .overdue'),
			description: (document.querySelector('meta[name="description"]') || { content: '' }).content,
			ogType: (document.querySelector('meta[property="og:type"]') || { content: '' }).content,
		}));
		check(`${label}: the proposal page's title`, p.h1 === 'Proposal Cache sessions in Redis', p.h1);
		check(`${label}: the proposal's text`, /Cache sessions in Redis with an LRU limit of 2 GB\./.test(p.body) &&
			/Redis with an LRU limit/.test(p.body), p.body);
		check(`${label}: its thread, both comments`, p.threadVisible && p.thread.length === 2 &&
			/Bo Chen.*object.*Memory limits\? What happens at 2 GB\?/.test(p.thread[0]) &&
			/Zed Outsider.*A thought from outside the team/.test(p.thread[1]), JSON.stringify(p.thread));
		check(`${label}: the overdue flag on the page`, p.flag);
		check(`${label}: link preview`, p.description === 'Cache sessions in Redis with an LRU limit of 2 GB.' &&
			p.ogType === 'article', JSON.stringify(p));
		if (label === 'file') {
			await page.screenshot({ path: path.join(SHOTS, 'adr-proposals-page-1280.png'), fullPage: true });
			await page.setViewportSize({ width: 390, height: 844 });
			const wide = await page.evaluate(() => document.documentElement.scrollWidth);
			check(`${label}: the proposal page fits 390 px`, wide <= 390, wide);
			await page.screenshot({ path: path.join(SHOTS, 'adr-proposals-page-390.png'), fullPage: true });
			await page.goto(base + 'index.html');
			const wideIdx = await page.evaluate(() => document.getElementById('open') ?
				document.getElementById('open').scrollWidth <= document.getElementById('open').clientWidth : false);
			check(`${label}: Open for comment fits 390 px`, wideIdx);
			await page.screenshot({ path: path.join(SHOTS, 'adr-proposals-index-390.png'), fullPage: true });
		}
	}
	checkClean(label, state);
	await context.close();
}

async function exercisePartner(browser, base, label, siteRoot) {
	const { context, page, log: state } = await open(browser, base, siteRoot, { colorScheme: 'dark' });
	await page.goto(base + 'index.html');
	const sec = await openSection(page);
	const titles = sec ? sec.items.map((i) => i.title) : [];
	check(`${label}: partners see the partner proposal`, titles.length === 1 && titles[0] === 'Cache sessions in Redis',
		JSON.stringify(titles));
	const html = await page.content();
	check(`${label}: the internal proposal is nowhere`, !/Rotate the secret plan/.test(html));
	if (label === 'partner-file') {
		await page.screenshot({ path: path.join(SHOTS, 'adr-proposals-partner-index-dark-1280.png'), fullPage: true });
	}
	if (sec && sec.items.length) {
		await page.click(`#open a[href="${sec.items[0].href}"]`);
		await page.waitForLoadState('load');
		const p = await page.evaluate(() => ({
			body: (document.querySelector('.record-body') || { textContent: '' }).textContent,
			thread: !!document.querySelector('.thread, #sec-thread, .comments'),
			text: document.body.textContent,
		}));
		check(`${label}: the proposal's text`, /Cache sessions in Redis with an LRU limit/.test(p.body), p.body);
		check(`${label}: --thread none: no thread`, !p.thread);
		check(`${label}: --thread none: no comment, no third party`, !/Memory limits\?/.test(p.text) &&
			!/Zed Outsider/.test(p.text));
		if (label === 'partner-file') {
			await page.setViewportSize({ width: 390, height: 844 });
			await page.screenshot({ path: path.join(SHOTS, 'adr-proposals-partner-page-dark-390.png'), fullPage: true });
		}
	}
	checkClean(label, state);
	await context.close();
}

runTest('browser proposals', async () => {
	const repo = makeRepo();
	const internal = build(repo, 'internal', ['--repo-url', 'https://github.com/acme/log']);
	const partner = build(repo, 'partner', ['--audience', 'partner', '--thread', 'none']);
	await withBrowser(ws, [internal, partner], async (browser, [http, phttp]) => {
		await exerciseInternal(browser, 'file://' + internal + '/', 'file', internal);
		await exerciseInternal(browser, http, 'http', internal);
		await exercisePartner(browser, 'file://' + partner + '/', 'partner-file', partner);
		await exercisePartner(browser, phttp, 'partner-http', partner);
	});
});
