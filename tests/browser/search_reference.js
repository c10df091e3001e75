// The site's search as it was first written (a plain scan of every word of
// every document, sorting the log's rows by score), with numbers without
// their zeros, status words and one-typo matches: the reference the browser
// test compares the fast search in templates/html/site.js with, record by
// record and in order.
'use strict';

function fold(s) {
	return String(s || '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}
function words(s) {
	return fold(s).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}
// Typos are forgiven in words of 4 letters or more that are not numbers.
function typoWord(w) {
	return w.length >= 4 && !/^\p{N}+$/u.test(w);
}
// One edit apart: a letter replaced, added or left out, or two neighbours
// swapped (written the slow, obvious way).
function oneTypo(a, b) {
	if (a === b || !typoWord(a) || !typoWord(b)) return false;
	const A = Array.from(a), B = Array.from(b);
	if (A.length === B.length) {
		const diff = [];
		for (let i = 0; i < A.length; i++) if (A[i] !== B[i]) diff.push(i);
		return diff.length === 1 || (diff.length === 2 && diff[1] === diff[0] + 1 &&
			A[diff[0]] === B[diff[1]] && A[diff[1]] === B[diff[0]]);
	}
	const [long, short] = A.length > B.length ? [A, B] : [B, A];
	if (long.length - short.length !== 1) return false;
	for (let i = 0; i < long.length; i++)
		if (long.slice(0, i).concat(long.slice(i + 1)).join('') === short.join('')) return true;
	return false;
}
function termScore(term, list, prefix, weight) {
	let s = 0;
	for (const w of list) {
		if (w === term) s += weight;
		else if (prefix && w.lastIndexOf(term, 0) === 0) s += weight * 0.6;
		else if (oneTypo(term, w)) s += weight * 0.3;
	}
	return s;
}
// A record's number is found without its zeros too ("5" for "0005").
function unpadded(n) {
	const v = parseInt(n, 10);
	return isNaN(v) ? '' : String(v);
}

// docs: the search index's documents; rows: the log's rows in page order, as
// { n, status, mode, tags: [..] }. Returns the record numbers the search and
// filters keep, best first (ties in the log's order).
function referenceSearch(docs, rows, query, filters) {
	const f = filters || {};
	const terms = words(query);
	let scores = null;
	if (terms.length) {
		scores = Object.create(null);
		for (const doc of docs) {
			const d = {
				title: words(doc.n + ' ' + unpadded(doc.n) + ' ' + doc.t),
				tags: words((doc.g || []).join(' ') + ' ' + (doc.p || []).join(' ') + ' ' + (doc.s || '')),
				body: words(doc.x),
			};
			let total = 0;
			let ok = true;
			for (let i = 0; i < terms.length && ok; i++) {
				const prefix = i === terms.length - 1;
				const s = termScore(terms[i], d.title, prefix, 10) + termScore(terms[i], d.tags, prefix, 5) +
					Math.min(termScore(terms[i], d.body, prefix, 1), 8);
				if (s === 0) ok = false;
				total += s;
			}
			if (ok) scores[doc.n] = total;
		}
	}
	const shown = rows.filter((r) => (!f.status || r.status === f.status) && (!f.mode || r.mode === f.mode) &&
		(!f.tag || r.tags.indexOf(f.tag) >= 0) && (!scores || scores[r.n] !== undefined));
	if (scores) shown.sort((a, b) => scores[b.n] - scores[a.n]);
	return shown.map((r) => r.n);
}

// The documents of a built site's search-index.js.
function readDocs(fs, file) {
	const text = fs.readFileSync(file, 'utf8');
	return JSON.parse(text.slice(text.indexOf('=') + 1).trim().replace(/;$/, '')).docs;
}

module.exports = { referenceSearch, readDocs };
