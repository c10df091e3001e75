// The browser test's search cases on a log larger than the results cap
// (site_test.js runs them): 130 records made with git, the site built by the
// real adr binary, then, in chromium, from file:// and http://127.0.0.1:
//  - every query's results, all of them and in order, are those of the plain
//    scan the search first was (search_reference.js), with filters too, and
//    the order of two records that only the prefix weight sets;
//  - the cap: the first 50 results, the count line saying so, 'Show 50 more'
//    and 'Show all' with the focus kept or moved to the new rows;
//  - the state in the fragment (#tag=..&q=..) on load and when it changes;
//  - Back from a record restores the search (http: kept in the address);
//  - clearing the box, Escape, the dark theme of the buttons, no console or
//    CSP error, no request leaving the site;
//  - a custom table template without the wrapper div still works.
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { referenceSearch, readDocs } = require('./search_reference.js');
const { open, collectErrors } = require('./lib.js');

const N = 132; // with the two at the end
const CAP = 50;
const WORDS = ['cache', 'cachet', 'queue', 'quota', 'region', 'regional', 'billing', 'audit', 'café', 'naïve',
	'straße', 'σίσυφος', 'token', 'tokens', 'deploy', 'export'];
const TAGS = ['storage', 'ops', 'billing', 'security'];
const STATUSES = ['accepted', 'proposed', 'rejected', 'deprecated', 'superseded'];
const PEOPLE = ['Ana Lima', 'Bo Chen', 'Zoë Ângelo'];

function makeBigRepo(ctx) {
	const repo = path.join(ctx.tmp, 'big');
	const dir = path.join(repo, 'docs', 'decisions');
	fs.mkdirSync(dir, { recursive: true });
	ctx.git(ctx.tmp, 'init', '-q', '-b', 'main', repo);
	for (let i = 1; i <= N - 2; i++) {
		const w = (k) => WORDS[(i * k + k) % WORDS.length];
		const id = String(i).padStart(4, '0');
		const tags = [TAGS[i % TAGS.length]].concat(i % 3 ? [] : [TAGS[(i + 1) % TAGS.length]]);
		fs.writeFileSync(path.join(dir, `${id}-record-${i}.md`), `---
status: ${STATUSES[i % STATUSES.length]}
date: 2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}
mode: ${i % 2 ? 'sync' : 'async'}
tags: [${tags.join(', ')}]
decision-makers: [${PEOPLE[i % PEOPLE.length]}]
---
# Use ${w(1)} for ${w(2)} ${i}

## Context

The ${w(3)} and the ${w(5)} ${w(7)}; ${i % 4 ? w(3) : 'nothing'} again, ${w(11)}.

## Decision

${i % 5 ? 'Keep' : 'Drop'} the ${w(13)} ${w(17)}.
`);
	}
	// Two records whose order under 'tok' rests on the prefix weight: a
	// person named Tok (exact, 5) before a title word 'tokens' (prefix, 6).
	fs.writeFileSync(path.join(dir, `0${N - 1}-pager.md`),
		'---\nstatus: accepted\ndate: 2026-12-01\ndecision-makers: [Tok Ra]\n---\n# Use the pager\n\nCall.\n');
	fs.writeFileSync(path.join(dir, `0${N}-tokens.md`),
		'---\nstatus: accepted\ndate: 2026-12-02\n---\n# Use tokens everywhere\n\nSigned.\n');
	ctx.git(repo, 'add', '-A');
	ctx.git(repo, 'commit', '-q', '-m', 'many records');
	const site = path.join(ctx.tmp, 'big-site');
	execFileSync(ctx.ADR, ['html', '-o', site, '--title', 'Big log'], { cwd: repo, env: ctx.gitEnv, stdio: 'pipe' });
	// The same with a custom table template that drops the wrapper div.
	const tpl = path.join(ctx.tmp, 'tpl');
	fs.mkdirSync(tpl);
	const table = fs.readFileSync(path.join(__dirname, '..', '..', 'templates', 'html', 'table.mustache'), 'utf8');
	fs.writeFileSync(path.join(tpl, 'table.mustache'), table.replace(/^<\/?div[^>]*>\n/gm, ''));
	const plain = path.join(ctx.tmp, 'plain-site');
	execFileSync(ctx.ADR, ['html', '-o', plain, '--templates', tpl], { cwd: repo, env: ctx.gitEnv, stdio: 'pipe' });
	return { site, plain };
}

// A custom table template without the wrapper: the search still replaces it.
async function exercisePlain(ctx, browser, plain) {
	const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
	const page = await context.newPage();
	const errors = [];
	collectErrors(page, errors);
	await page.goto('file://' + plain + '/index.html');
	ctx.check('plain: the custom table has no wrapper', await page.evaluate(() =>
		!document.getElementById('log').parentNode.classList.contains('table-wrap')));
	const docs = readDocs(fs, path.join(plain, 'search-index.js'));
	const rows = await page.$$eval('#log tbody tr[data-n]', (trs) => trs.map((tr) => ({ n: tr.getAttribute('data-n'),
		status: tr.getAttribute('data-status'), mode: tr.getAttribute('data-mode'),
		tags: (tr.getAttribute('data-tags') || '').split(',') })));
	await page.fill('#q', 'quota');
	const want = referenceSearch(docs, rows, 'quota', {}).slice(0, CAP);
	ctx.check('plain: the search shows its results only', JSON.stringify(await resultRows(page)) === JSON.stringify(want),
		JSON.stringify(await resultRows(page)));
	ctx.check('plain: no console errors', errors.length === 0, JSON.stringify(errors));
	await context.close();
}

async function resultRows(page) {
	return page.$$eval('#log tbody tr[data-n], #results tbody tr[data-n]', (trs) => trs.filter((tr) => tr.checkVisibility())
		.map((tr) => tr.getAttribute('data-n')));
}

function countText() {
	return document.getElementById('count').textContent;
}

async function setState(page, q, f) {
	await page.selectOption('#f-status', f.status || '');
	await page.selectOption('#f-tag', f.tag || '');
	await page.selectOption('#f-mode', f.mode || '');
	await page.fill('#q', q);
}

// All results (after 'Show all' when capped) against the reference.
async function checkQuery(ctx, page, label, docs, rows, q, f) {
	const want = referenceSearch(docs, rows, q, f);
	await setState(page, q, f);
	const count = await page.evaluate(countText);
	const of = want.length !== rows.length ? ` of ${rows.length}` : '';
	const noun = want.length === 1 ? 'decision' : 'decisions';
	const capped = want.length > CAP ? `, the first ${CAP} shown` : '';
	ctx.check(`${label}: the count for ${JSON.stringify(q)} ${JSON.stringify(f)}`,
		count === `${want.length} ${noun}${of}${capped}`, count);
	const first = await resultRows(page);
	ctx.check(`${label}: the first results for ${JSON.stringify(q)} ${JSON.stringify(f)}`,
		JSON.stringify(first) === JSON.stringify(want.slice(0, CAP)), JSON.stringify([first, want.slice(0, CAP)]));
	if (want.length > CAP) {
		await page.click('#more-all');
		const all = await resultRows(page);
		ctx.check(`${label}: all results for ${JSON.stringify(q)} ${JSON.stringify(f)}`,
			JSON.stringify(all) === JSON.stringify(want), JSON.stringify([all, want]));
	}
	return want;
}

async function checkCap(ctx, page, label, docs, rows) {
	await setState(page, '', {});
	await page.fill('#q', 'use');
	const want = referenceSearch(docs, rows, 'use', {});
	ctx.check(`${label}: 'use' matches more than the cap`, want.length === N, want.length);
	ctx.check(`${label}: the cap shows ${CAP} rows`, (await resultRows(page)).length === CAP);
	ctx.check(`${label}: the count line says the first ${CAP} are shown`,
		(await page.evaluate(countText)) === `${N} decisions, the first ${CAP} shown`, await page.evaluate(countText));
	ctx.check(`${label}: the log's own table takes no room and shows nothing`, await page.evaluate(() =>
		document.getElementById('log').parentNode.offsetHeight === 0 &&
		!document.querySelector('#log tbody a').checkVisibility()));
	await page.focus('#f-mode');
	await page.keyboard.press('Tab');
	ctx.check(`${label}: Tab goes from the filters to the results' sort buttons`, await page.evaluate(() =>
		document.activeElement.closest('#results thead th[data-sort="n"]') !== null));
	for (let i = 0; i < 4; i++) await page.keyboard.press('Tab'); // the four sortable headings
	ctx.check(`${label}: Tab goes from the filters to the first result`, await page.evaluate((n) =>
		document.activeElement.closest('#results tr') !== null &&
		document.activeElement.closest('tr').getAttribute('data-n') === n, want[0]));
	ctx.check(`${label}: the count line is a live region`,
		(await page.getAttribute('#count', 'aria-live')) === 'polite');
	ctx.check(`${label}: the more button says how many`, (await page.textContent('#more-next')) === `Show ${CAP} more`);
	ctx.check(`${label}: the all button says how many`, (await page.textContent('#more-all')) === `Show all ${N}`);
	await page.click('#more-next');
	ctx.check(`${label}: 'show more' adds ${CAP} rows`,
		JSON.stringify(await resultRows(page)) === JSON.stringify(want.slice(0, 2 * CAP)));
	ctx.check(`${label}: the count line follows`,
		(await page.evaluate(countText)) === `${N} decisions, the first ${2 * CAP} shown`, await page.evaluate(countText));
	ctx.check(`${label}: the focus stays on the more button`,
		await page.evaluate(() => document.activeElement.id === 'more-next'));
	ctx.check(`${label}: the last step says how many are left`,
		(await page.textContent('#more-next')) === `Show ${N - 2 * CAP} more`);
	await page.click('#more-next');
	ctx.check(`${label}: every result shown`, JSON.stringify(await resultRows(page)) === JSON.stringify(want));
	ctx.check(`${label}: the buttons go once all is shown`, !(await page.isVisible('#more-next')));
	ctx.check(`${label}: the focus moves to the first new row`, await page.evaluate((n) =>
		document.activeElement.tagName === 'A' && document.activeElement.closest('tr').getAttribute('data-n') === n,
	want[2 * CAP]));
	ctx.check(`${label}: the count line says all`, (await page.evaluate(countText)) === `${N} decisions`);

	// Cleared: the log in its order, capped too.
	await page.fill('#q', '');
	ctx.check(`${label}: the cleared box shows the log's first rows`,
		JSON.stringify(await resultRows(page)) === JSON.stringify(rows.slice(0, CAP).map((r) => r.n)));
	ctx.check(`${label}: the cleared count line`,
		(await page.evaluate(countText)) === `${N} decisions, the first ${CAP} shown`, await page.evaluate(countText));
	await page.fill('#q', 'quota');
	await page.keyboard.press('Escape');
	ctx.check(`${label}: Escape clears the search`, (await page.inputValue('#q')) === '' &&
		(await page.evaluate(countText)) === `${N} decisions, the first ${CAP} shown`);
}

async function checkHashAndBack(ctx, page, base, label, docs, rows) {
	await page.goto(base + 'index.html#tag=billing&q=cach');
	let want = referenceSearch(docs, rows, 'cach', { tag: 'billing' });
	ctx.check(`${label}: the fragment's tag and query are applied on load`,
		JSON.stringify(await resultRows(page)) === JSON.stringify(want.slice(0, CAP)) &&
		(await page.inputValue('#q')) === 'cach' && (await page.inputValue('#f-tag')) === 'billing',
		JSON.stringify(await resultRows(page)));
	await page.evaluate(() => { location.hash = 'status=proposed&mode=sync'; });
	want = referenceSearch(docs, rows, '', { status: 'proposed', mode: 'sync' });
	await ctx.waitFor(page, (n) => document.querySelectorAll('#results tbody tr').length === n,
		Math.min(want.length, CAP), 'the new fragment');
	ctx.check(`${label}: a new fragment is applied`, JSON.stringify(await resultRows(page)) ===
		JSON.stringify(want.slice(0, CAP)) && (await page.inputValue('#q')) === '');
	await page.evaluate(() => { location.hash = 'main'; });
	await page.waitForTimeout(50);
	ctx.check(`${label}: the skip link's fragment keeps the filters`,
		(await page.inputValue('#f-status')) === 'proposed');

	if (!base.startsWith('http')) return;
	await page.goto(base + 'index.html');
	await page.focus('#q');
	await page.keyboard.type('regional', { delay: 10 });
	await page.selectOption('#f-status', 'accepted');
	want = referenceSearch(docs, rows, 'regional', { status: 'accepted' });
	const before = await resultRows(page);
	ctx.check(`${label}: the search before leaving`, JSON.stringify(before) === JSON.stringify(want.slice(0, CAP)));
	await Promise.all([page.waitForNavigation(), page.click('#results tbody tr a')]);
	await page.goBack();
	await ctx.waitFor(page, (n) => document.querySelectorAll('#results tbody tr').length === n,
		before.length, 'the results after Back');
	ctx.check(`${label}: Back restores the query and filter`, (await page.inputValue('#q')) === 'regional' &&
		(await page.inputValue('#f-status')) === 'accepted', page.url());
	ctx.check(`${label}: Back restores the results`,
		JSON.stringify(await resultRows(page)) === JSON.stringify(before));
}

async function exerciseSearch(ctx, browser, base, label, site) {
	const docs = readDocs(fs, path.join(site, 'search-index.js'));
	const { context, page, log: { errors, outside } } = await open(browser, base, site,
		{ viewport: { width: 1200, height: 800 } }, { csp: true });
	await page.goto(base + 'index.html');
	const rows = await page.$$eval('#log tbody tr[data-n]', (trs) => trs.map((tr) => ({ n: tr.getAttribute('data-n'),
		status: tr.getAttribute('data-status'), mode: tr.getAttribute('data-mode'),
		tags: (tr.getAttribute('data-tags') || '').split(',') })));
	ctx.check(`${label}: the big log lists every record`, rows.length === N && (await resultRows(page)).length === N,
		rows.length);

	const cases = [['cache', {}], ['cach', {}], ['cache ', {}], ['cachet', {}], ['cafe', {}], ['CAFÉ', {}],
		['naive', {}], ['strasse', {}], ['straße', {}], ['σίσυφος', {}], ['σισ', {}], ['token q', {}],
		['tokens quota', {}], ['1', {}], ['12', {}], ['0012', {}], ['zoe', {}], ['ana l', {}], ['nothing', {}],
		['r', {}], ['drop', {}], ['tok', {}], ['toke', {}], ['zzzz', {}], ['quota', { status: 'accepted' }], ['re', { tag: 'billing' }],
		['use', { mode: 'async', tag: 'ops' }], ['', { status: 'proposed' }], ['', { tag: 'security' }]];
	for (const [q, f] of cases) await checkQuery(ctx, page, label, docs, rows, q, f);
	const tok = await checkQuery(ctx, page, label, docs, rows, 'tok', {});
	ctx.check(`${label}: a title prefix (6) ranks before an exact person (5)`,
		tok.indexOf('0132') >= 0 && tok.indexOf('0132') < tok.indexOf('0131'), JSON.stringify(tok));
	await checkCap(ctx, page, label, docs, rows);
	await setState(page, 'cache', { status: 'accepted' });
	if (label === 'file') await page.screenshot({ path: path.join(ctx.SHOTS, 'adr-html-search.png') });
	await page.emulateMedia({ colorScheme: 'dark' });
	await setState(page, 'use', {});
	ctx.check(`${label}: the more buttons show`, await page.isVisible('#more-all'));
	const bg = await page.evaluate(() => getComputedStyle(document.getElementById('more-next')).backgroundColor);
	ctx.check(`${label}: the more button follows the dark theme`, bg === 'rgb(26, 32, 39)', bg);
	if (label === 'file') {
		await page.locator('#more-all').scrollIntoViewIfNeeded();
		await page.screenshot({ path: path.join(ctx.SHOTS, 'adr-html-search-dark.png') });
	}
	await page.emulateMedia({ colorScheme: 'light' });
	await checkHashAndBack(ctx, page, base, label, docs, rows);

	ctx.check(`${label}: no console or CSP errors in the search`, errors.length === 0, JSON.stringify(errors));
	ctx.check(`${label}: no request left the site in the search`, outside.length === 0, JSON.stringify(outside));
	await context.close();
}

module.exports = { makeBigRepo, exerciseSearch, exercisePlain };
