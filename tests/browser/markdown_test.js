#!/usr/bin/env node
// Browser test of how record bodies render on the site (issue 16, bug 5 and
// part of bug 7): a repository made with git and the real adr binary, its
// site built by `adr html`, opened in Debian's chromium from file:// and
// from a tiny server on 127.0.0.1. It checks that:
//  - GitHub Flavored Markdown renders: a table (with its alignments), a task
//    list (checkboxes named for a screen reader), strikethrough, footnotes
//    (the reference jumps to the note) and autolinks (www., https://, e-mail);
//  - a page has one <h1> (its title), even when the body has `#` headings;
//  - a long record has a table of contents whose links jump to the sections,
//    and a short one has none;
//  - on a phone (390 px) a wide table scrolls in its own box and the page
//    does not scroll sideways;
//  - no console error, and no request leaves the site (every other request
//    is blocked and counted).
// Screenshots of the record at 1280 and 390 px (light, and dark on the phone)
// go to $ADR_SCREENSHOTS (default: the current directory).
'use strict';

const { ADR, SHOTS, check, workspace, open, checkClean, withBrowser, runTest } = require('./lib.js');
const fs = require('fs');
const path = require('path');

const ws = workspace('adr-markdown-');
const { tmp, git } = ws;

// A record as people write them (MADR): sections, options with pros and
// cons in a wide table, next steps as a task list, a footnote, links.
const LONG = `---
status: accepted
date: 2026-11-12
decision-makers: [Ana Lima, Bo Chen]
tags: [messaging]
---
# Choose a message broker for the order events

## Context and problem statement

Orders are written by three services and read by five. We need a broker that
keeps every event for a week[^retention] and lets a reader replay them.

## Considered options

### RabbitMQ

A queue per reader; replay needs a second copy of every event.

### Kafka

A partitioned log; readers keep their own offsets.

### PostgreSQL LISTEN/NOTIFY

No retention at all.

## Pros and cons of the options

| Option | Retention | Replay | Operations cost per month in the current cloud account | Team experience | Verdict |
|:-------|:---------:|:------:|-------------------------------------------------------:|-----------------|---------|
| RabbitMQ | configurable per queue with policies | no, only by copying every event to a second queue | 410 EUR for a three-node cluster with mirrored queues | good: two people ran it in production | rejected |
| Kafka | per topic, time or size | yes, readers keep their own offsets | 620 EUR for three brokers and the managed coordination service | some: one person | **chosen** |
| PostgreSQL | none | no | included in the database we already pay for | very good | rejected |

## Decision outcome

Kafka, because replay is the requirement the others miss. ~~Keep the nightly
export~~ The nightly export goes away.

### Next steps

- [x] Measure the write rate of the three writers
- [ ] Create the topics with a retention of seven days

## More information

The vendor comparison is at www.example.com/brokers and
https://example.org/kafka-notes; questions to ana@example.com.


[^retention]: Seven days is what the auditors asked for in the 2026 review.
`;

const SHORT = `---
status: accepted
date: 2026-11-13
---
# Keep the order ids numeric

## Context

Short records get no table of contents.

# Decision by mistake at the top level

Numeric ids: this heading must not become a second title.
`;

function makeRepo() {
	const repo = path.join(tmp, 'repo');
	const dir = path.join(repo, 'docs', 'decisions');
	fs.mkdirSync(dir, { recursive: true });
	git(tmp, 'init', '-q', '-b', 'main', repo);
	fs.writeFileSync(path.join(dir, '0001-choose-a-message-broker.md'), LONG);
	fs.writeFileSync(path.join(dir, '0002-keep-the-order-ids-numeric.md'), SHORT);
	git(repo, 'add', '-A');
	git(repo, 'commit', '-q', '-m', 'records');
	return repo;
}

async function exercise(browser, base, label, siteRoot) {
	const { context, page, log } = await open(browser, base, siteRoot);

	const pages = fs.readdirSync(siteRoot);
	const longPage = pages.find((f) => f.startsWith('0001') && f.endsWith('.html'));
	const shortPage = pages.find((f) => f.startsWith('0002') && f.endsWith('.html'));
	check(`${label}: both record pages exist`, !!longPage && !!shortPage, JSON.stringify(pages));
	await page.goto(base + longPage);

	const h1s = await page.$$eval('h1', (hs) => hs.map((h) => h.textContent));
	check(`${label}: one <h1> per page`, h1s.length === 1 && h1s[0].includes('Choose a message broker'), JSON.stringify(h1s));
	const h2s = await page.$$eval('.record-body h2', (hs) => hs.map((h) => h.textContent));
	check(`${label}: the body's sections are <h2>s`, h2s.includes('Pros and cons of the options'), JSON.stringify(h2s));

	// The table: header, alignment, rows.
	const table = await page.evaluate(() => {
		const t = document.querySelector('.record-body table');
		if (!t) return null;
		return {
			head: [...t.querySelectorAll('thead th')].map((th) => th.textContent.trim()),
			align: [...t.querySelectorAll('thead th')].map((th) => th.getAttribute('align')),
			cellAlign: getComputedStyle(t.querySelector('tbody td:nth-child(4)')).textAlign,
			rows: t.querySelectorAll('tbody tr').length,
			chosen: !!t.querySelector('tbody strong'),
		};
	});
	check(`${label}: the pros-and-cons table renders as a table`, table !== null && table.rows === 3 &&
		table.head[0] === 'Option' && table.head[5] === 'Verdict' && table.chosen, JSON.stringify(table));
	check(`${label}: the table's alignments apply`, table !== null && table.align[0] === 'left' &&
		table.align[1] === 'center' && table.align[3] === 'right' && table.align[4] === null &&
		/right/.test(table.cellAlign), JSON.stringify(table));

	// The task list: two disabled checkboxes, one ticked, each with a name.
	const boxes = await page.$$eval('.record-body li input[type=checkbox]', (bs) => bs.map((b) => ({
		checked: b.checked, disabled: b.disabled, name: b.getAttribute('aria-label'),
		text: b.parentElement.textContent.trim() })));
	check(`${label}: the task list has its checkboxes`, boxes.length === 2 && boxes[0].checked && !boxes[1].checked &&
		boxes.every((b) => b.disabled) && boxes[0].name === 'done' && boxes[1].name === 'open' &&
		boxes[1].text.startsWith('Create the topics'), JSON.stringify(boxes));
	check(`${label}: no "[ ]" left as text`, !(await page.textContent('.record-body')).includes('[ ]'));

	// Strikethrough.
	const del = await page.$$eval('.record-body del', (ds) => ds.map((d) => d.textContent));
	check(`${label}: strikethrough renders`, del.length === 1 && del[0].startsWith('Keep the nightly'), JSON.stringify(del));
	check(`${label}: no "~~" left as text`, !(await page.textContent('.record-body')).includes('~~'));

	// Autolinks.
	const hrefs = await page.$$eval('.record-body a', (as) => as.map((a) => a.getAttribute('href')));
	check(`${label}: www. autolink`, hrefs.includes('http://www.example.com/brokers'), JSON.stringify(hrefs));
	check(`${label}: https:// autolink`, hrefs.includes('https://example.org/kafka-notes'), JSON.stringify(hrefs));
	check(`${label}: e-mail autolink`, hrefs.includes('mailto:ana@example.com'), JSON.stringify(hrefs));

	// The footnote: a reference that jumps to its note, and back.
	const ref = await page.$('.record-body sup a');
	check(`${label}: the footnote reference is a link`, !!ref);
	if (ref) {
		const target = (await ref.getAttribute('href')).slice(1);
		await ref.click();
		const note = await page.evaluate((id) => {
			const el = document.getElementById(id);
			if (!el) return null;
			const r = el.getBoundingClientRect();
			return { text: el.textContent, top: r.top, bottom: r.bottom, hash: location.hash };
		}, target);
		check(`${label}: the footnote link jumps to its note`, note !== null && note.hash === '#' + target &&
			note.text.includes('Seven days') && note.top >= 0 && note.top < 900, JSON.stringify(note));
	}

	// The table of contents: one entry per section (and subsection), each
	// link landing on its heading at the top of the window (or, for the
	// last ones, with the page scrolled to its end).
	await page.goto(base + longPage);
	const toc = await page.$$eval('nav.toc a', (as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent })));
	check(`${label}: the long record has a table of contents`, toc.length === 9 &&
		toc[0].text === 'Context and problem statement' && toc[2].text === 'RabbitMQ' &&
		toc[8].text === 'More information', JSON.stringify(toc));
	const ids = new Set();
	for (const t of toc) {
		const id = t.href.slice(1);
		ids.add(id);
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.click(`nav.toc a[href="${t.href}"]`);
		const where = await page.evaluate((i) => {
			const el = document.getElementById(i);
			if (!el) return null;
			const h = el.closest('h2, h3');
			return { hash: location.hash, heading: h ? h.textContent : null, top: el.getBoundingClientRect().top,
				atEnd: Math.ceil(window.scrollY + window.innerHeight) >= document.documentElement.scrollHeight };
		}, id);
		check(`${label}: the contents link "${t.text}" jumps to its section`, where !== null &&
			where.hash === t.href && where.heading === t.text &&
			(where.top > -2 && where.top < 60 || (where.atEnd && where.top >= 0 && where.top < 900)), JSON.stringify(where));
	}
	check(`${label}: the section ids are unique and safe`, ids.size === toc.length &&
		[...ids].every((i) => /^h-[a-z0-9-]+$/.test(i)), JSON.stringify([...ids]));

	if (label === 'file') await page.screenshot({ path: path.join(SHOTS, 'markdown-record-1280.png'), fullPage: true });

	await page.goto(base + shortPage);
	check(`${label}: a short record has no table of contents`, (await page.$$('nav.toc')).length === 0);
	// Its `#` heading after the title is no second title: the page keeps one
	// <h1>, and the body's top level renders as <h2>.
	const shortHeads = await page.$$eval('h1, h2, h3', (hs) => hs.map((h) => h.tagName + ' ' + h.textContent));
	check(`${label}: a second '#' heading is no second <h1>`,
		shortHeads.filter((h) => h.startsWith('H1')).length === 1 &&
		shortHeads.includes('H2 Decision by mistake at the top level') && shortHeads.includes('H3 Context'),
		JSON.stringify(shortHeads));

	// A phone: the wide table scrolls in its own box, the page does not.
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto(base + longPage);
	const phone = await page.evaluate(() => {
		const table = document.querySelector('.record-body table');
		const box = table ? table.parentElement : document.body;
		return { page: document.documentElement.scrollWidth - window.innerWidth,
			boxScrolls: box.scrollWidth > box.clientWidth, boxStyle: getComputedStyle(box).overflowX,
			boxRight: box.getBoundingClientRect().right, width: window.innerWidth };
	});
	check(`${label}: on a phone the page does not scroll sideways`, phone.page <= 0, JSON.stringify(phone));
	check(`${label}: on a phone the wide table scrolls in its own box`, phone.boxScrolls &&
		phone.boxStyle === 'auto' && phone.boxRight <= phone.width, JSON.stringify(phone));
	if (label === 'file') {
		await page.evaluate(() => (document.querySelector('.record-body table') || document.body).scrollIntoView());
		await page.screenshot({ path: path.join(SHOTS, 'markdown-record-390.png') });
		await page.screenshot({ path: path.join(SHOTS, 'markdown-record-390-full.png'), fullPage: true });
		await page.emulateMedia({ colorScheme: 'dark' });
		await page.goto(base + longPage);
		await page.evaluate(() => (document.querySelector('nav.toc') || document.body).scrollIntoView());
		await page.screenshot({ path: path.join(SHOTS, 'markdown-record-390-dark.png') });
	}

	checkClean(label, log);
	await context.close();
}

runTest('markdown', async () => {
	const repo = makeRepo();
	const site = path.join(tmp, 'site');
	ws.run(ADR, ['html', '-o', site, '--title', 'Markdown test log'], repo);
	await withBrowser(ws, [site], async (browser, [http]) => {
		await exercise(browser, 'file://' + site + '/', 'file', site);
		await exercise(browser, http, 'http', site);
	});
});
