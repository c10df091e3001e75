/* adr html: filters and an offline search over search-index.js.
 * No request is made: the index is a script the page loads next to this one.
 *
 * Made to answer within a frame at 10,000 records:
 *  - the log's own rows are never touched per keystroke: from the first
 *    search on, its table is out of rendering as a whole and a second table
 *    shows copies of the first CAP results only, with buttons for more;
 *  - the word index numbers every distinct word once and keeps each document
 *    as runs of word numbers in one typed array; it is built in idle slices
 *    from the start (and finished at once by a search that comes first), so
 *    typing scores numbers, not strings;
 *  - nothing is debounced: each input is answered in its own task; only the
 *    address (the state kept for Back and reload) is written a moment later.
 * The scores, and so the order, are those of a plain scan of every word of
 * every document (same sums in the same order).
 *
 * What a search matches: a record's number with or without its zeros ("5"
 * finds 0005), its title, tags, people, status and text; the last word
 * typed as a prefix too; and words of 4 letters or more with one typo
 * (a letter wrong, missing, extra or two swapped), ranked below the rest.
 *
 * The form is hidden in the page as built (it does nothing without this
 * script); the script shows it. The log's columns sort by a click on their
 * heading; the order, the search and the filters are kept in the address's
 * fragment (#q=..&status=..&tag=..&mode=..&sort=..), from file:// too. */
(function () {
	'use strict';
	var table = document.getElementById('log');
	var q = document.getElementById('q');
	if (!table || !q) return;
	var CAP = 50;
	var form = document.getElementById('controls');
	if (form) form.hidden = false;
	var fStatus = document.getElementById('f-status');
	var fTag = document.getElementById('f-tag');
	var fMode = document.getElementById('f-mode');
	var count = document.getElementById('count');
	var docs = (window.ADR_SEARCH_INDEX && window.ADR_SEARCH_INDEX.docs) || [];

	/* The results: a second table after the log's (its head copied), and a
	 * line of buttons. The log's own table is then put out of rendering
	 * with content-visibility: hidden, which keeps its layout for later
	 * instead of tearing down 10,000 rows as display: none would (a table
	 * that a custom template left without its wrapper is not displayed). */
	var wrap = table.parentNode.classList.contains('table-wrap') ? table.parentNode : table;
	var none = document.createElement('p');
	none.className = 'empty none';
	none.id = 'none';
	none.hidden = true;
	var resultsWrap = document.createElement('div');
	resultsWrap.className = 'table-wrap js-results';
	resultsWrap.hidden = true;
	var resultsTable = document.createElement('table');
	resultsTable.className = table.className;
	resultsTable.id = 'results';
	if (table.tHead) resultsTable.appendChild(table.tHead.cloneNode(true));
	var results = document.createElement('tbody');
	resultsTable.appendChild(results);
	resultsWrap.appendChild(resultsTable);
	var more = document.createElement('p');
	more.className = 'more';
	more.hidden = true;
	var moreNext = document.createElement('button');
	var moreAll = document.createElement('button');
	moreNext.type = moreAll.type = 'button';
	moreNext.id = 'more-next';
	moreAll.id = 'more-all';
	more.appendChild(moreNext);
	more.appendChild(document.createTextNode(' '));
	more.appendChild(moreAll);
	wrap.parentNode.insertBefore(more, wrap.nextSibling);
	wrap.parentNode.insertBefore(resultsWrap, more);
	wrap.parentNode.insertBefore(none, resultsWrap);

	/* "5" for "0005": numbers are found without their zeros too. */
	function unpadded(n) {
		var v = parseInt(n, 10);
		return isNaN(v) ? '' : String(v);
	}
	/* Typos are forgiven in words of 4 letters or more (not numbers). */
	function typoTerm(w) {
		return w.length >= 4 && !/^\p{N}+$/u.test(w);
	}
	/* Whether a and b (different) are one edit apart: a letter replaced,
	 * added or left out, or two neighbours swapped (b is a word of the
	 * index that typoTerm() allows). */
	function sameFrom(a, i, b, j) {
		if (a.length - i !== b.length - j) return false;
		for (; i < a.length; i++, j++)
			if (a.charCodeAt(i) !== b.charCodeAt(j)) return false;
		return true;
	}
	function oneTypo(a, b) {
		var la = a.length, lb = b.length;
		if (la - lb > 1 || lb - la > 1) return false;
		var i = 0;
		while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
		if (la === lb) {
			return sameFrom(a, i + 1, b, i + 1) ||
				(i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && sameFrom(a, i + 2, b, i + 2));
		}
		return la > lb ? sameFrom(a, i + 1, b, i) : sameFrom(a, i, b, i + 1);
	}
	function fold(s) {
		return String(s || '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
	}
	function words(s) {
		return fold(s).split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 0; });
	}

	/* The word index. Document d's title words are ids[offs[3d] .. offs[3d+1]),
	 * its tags and people up to offs[3d+2], its text up to offs[3d+3]. */
	var vocab = new Map();
	var vocabList = [];
	var typoOk = new Uint8Array(1 << 12); /* per word: may be matched with a typo */
	var ids = new Int32Array(1 << 16);
	var used = 0;
	var offs = new Int32Array(docs.length * 3 + 1);
	var built = 0;
	function addWords(list) {
		for (var i = 0; i < list.length; i++) {
			var id = vocab.get(list[i]);
			if (id === undefined) {
				id = vocabList.length;
				vocabList.push(list[i]);
				vocab.set(list[i], id);
				if (id === typoOk.length) {
					var grown = new Uint8Array(typoOk.length * 2);
					grown.set(typoOk);
					typoOk = grown;
				}
				typoOk[id] = typoTerm(list[i]) ? 1 : 0;
			}
			if (used === ids.length) {
				var bigger = new Int32Array(ids.length * 2);
				bigger.set(ids);
				ids = bigger;
			}
			ids[used++] = id;
		}
	}
	/* Adds documents to the index: at least a few, then while more() says so
	 * (all of them when more is null). */
	function buildSome(more) {
		for (var k = 0; built < docs.length && (!more || k < 20 || more()); k++) {
			var d = docs[built];
			offs[3 * built] = used;
			addWords(words(d.n + ' ' + unpadded(d.n) + ' ' + d.t));
			offs[3 * built + 1] = used;
			addWords(words((d.g || []).join(' ') + ' ' + (d.p || []).join(' ') + ' ' + (d.s || '')));
			offs[3 * built + 2] = used;
			addWords(words(d.x));
			built++;
			offs[3 * built] = used;
		}
	}
	function buildWhenIdle() {
		if (built >= docs.length) {
			if (window.requestIdleCallback) window.requestIdleCallback(rowData);
			return;
		}
		if (window.requestIdleCallback) {
			window.requestIdleCallback(function (dl) {
				buildSome(function () { return dl.timeRemaining() > 2; });
				buildWhenIdle();
			}, { timeout: 1000 });
		} else {
			setTimeout(function () {
				var end = performance.now() + 8;
				buildSome(function () { return performance.now() < end; });
				buildWhenIdle();
			}, 30);
		}
	}

	/* What each word of the index is to a term: 1 the term itself, 2 a longer
	 * word it starts (counted for the last term only: it is being typed),
	 * 3 a word one typo away (terms and words of 4 letters or more). */
	function kindsOf(term, prefix) {
		var k = new Uint8Array(vocabList.length);
		var exact = vocab.get(term);
		var typos = typoTerm(term);
		if (exact !== undefined) k[exact] = 1;
		if (prefix || typos) {
			for (var i = 0; i < vocabList.length; i++) {
				if (i === exact) continue;
				var w = vocabList[i];
				if (prefix && w.lastIndexOf(term, 0) === 0) k[i] = 2;
				else if (typos && typoOk[i] && oneTypo(term, w)) k[i] = 3;
			}
		}
		return k;
	}
	function runScore(k, from, to, weight) {
		var s = 0;
		for (var j = from; j < to; j++) {
			var c = k[ids[j]];
			if (c === 1) s += weight;
			else if (c === 2) s += weight * 0.6;
			else if (c === 3) s += weight * 0.3;
		}
		return s;
	}
	/* Every term must match somewhere; the last one may be a prefix (typing).
	 * Returns each document's score (0: not found), or null for no query. */
	function search(query) {
		var terms = words(query);
		if (!terms.length) return null;
		buildSome(null);
		var kinds = terms.map(function (t, i) { return kindsOf(t, i === terms.length - 1); });
		var scores = new Float64Array(docs.length);
		for (var d = 0; d < docs.length; d++) {
			var o = 3 * d, total = 0, i;
			for (i = 0; i < kinds.length; i++) {
				var s = runScore(kinds[i], offs[o], offs[o + 1], 10) + runScore(kinds[i], offs[o + 1], offs[o + 2], 5) +
					Math.min(runScore(kinds[i], offs[o + 2], offs[o + 3], 1), 8);
				if (s === 0) break;
				total += s;
			}
			if (i === kinds.length) scores[d] = total;
		}
		return scores;
	}

	/* The rows of the log, read once, with the documents of their number.
	 * A row's score is that of the last document with its number that matched
	 * (documents, the index, per row: usually one). Month headings are not
	 * rows of the log (they have no number). */
	var rows = null;
	function rowData() {
		if (rows) return rows;
		var docsOf = Object.create(null);
		docs.forEach(function (d, i) { (docsOf[d.n] || (docsOf[d.n] = [])).push(i); });
		rows = Array.prototype.map.call(table.querySelectorAll('tbody tr[data-n]'), function (tr, i) {
			var n = tr.getAttribute('data-n');
			return {
				tr: tr, docs: docsOf[n] || [], score: 0, status: tr.getAttribute('data-status'),
				mode: tr.getAttribute('data-mode'), tags: (tr.getAttribute('data-tags') || '').split(','),
				n: parseInt(n, 10), date: tr.getAttribute('data-date') || '', idx: i, pos: i, title: null
			};
		});
		return rows;
	}
	function rowScore(r, scores) {
		for (var j = r.docs.length - 1; j >= 0; j--)
			if (scores[r.docs[j]] > 0) return scores[r.docs[j]];
		return 0;
	}

	/* The order: '' (best first for a search, else newest first, as built),
	 * or a column's key, '-' in front for descending. */
	var sortKey = '';
	var SORTS = { n: 1, title: 1, status: 1, date: 1 };
	function validSort(k) {
		return SORTS[String(k || '').replace(/^-/, '')] ? k : '';
	}
	function sortBy(list, key) {
		var desc = key.charAt(0) === '-', k = desc ? key.slice(1) : key;
		for (var i = 0; i < list.length; i++) {
			list[i].pos = i;
			if (k === 'title' && list[i].title === null) {
				var a = list[i].tr.querySelector('.title a');
				list[i].title = a ? a.textContent : '';
			}
		}
		return list.slice().sort(function (a, b) {
			var c;
			if (k === 'n') c = a.n - b.n;
			else if (k === 'title') c = a.title.localeCompare(b.title);
			else c = a[k] < b[k] ? -1 : a[k] > b[k] ? 1 : 0;
			return (desc ? -c : c) || a.pos - b.pos;
		});
	}
	/* The headings say how the rows are sorted (aria-sort) and sort on a click. */
	function headButtons(thead) {
		Array.prototype.forEach.call(thead.querySelectorAll('th[data-sort]'), function (th) {
			if (th.querySelector('button')) return;
			var b = document.createElement('button');
			b.type = 'button';
			b.className = 'sort';
			b.textContent = th.textContent;
			th.textContent = '';
			th.appendChild(b);
		});
	}
	function markSort(searching) {
		var eff = sortKey || (searching ? '' : '-date');
		var k = eff.replace(/^-/, '');
		Array.prototype.forEach.call(document.querySelectorAll('#log th[data-sort], #results th[data-sort]'), function (th) {
			if (eff && th.getAttribute('data-sort') === k)
				th.setAttribute('aria-sort', eff.charAt(0) === '-' ? 'descending' : 'ascending');
			else
				th.removeAttribute('aria-sort');
		});
	}
	function onSortClick(e) {
		var b = e.target.closest && e.target.closest('th[data-sort] button');
		if (!b) return;
		var k = b.parentNode.getAttribute('data-sort');
		var cur = sortKey || (words(q.value).length ? '' : '-date');
		if (cur === k) sortKey = '-' + k;
		else if (cur === '-' + k) sortKey = k;
		else sortKey = k === 'date' ? '-date' : k;
		apply();
		save();
		/* The heading clicked keeps the focus, in the table now shown. */
		var shownTable = fullShown ? table : resultsTable;
		var again = shownTable.querySelector('th[data-sort="' + k + '"] button');
		if (again) again.focus();
	}
	if (table.tHead) {
		headButtons(table.tHead);
		headButtons(resultsTable.tHead);
		table.tHead.addEventListener('click', onSortClick);
		resultsTable.tHead.addEventListener('click', onSortClick);
	}

	/* Until the first search the page shows the log as it was built; from
	 * then on, the results table: the records that pass, best first (or in
	 * the order asked for), the first CAP of them copied in, more on demand. */
	var fullShown = true;
	var shown = [];
	var rendered = 0;
	var applied = null;
	function plural(n) { return n + (n === 1 ? ' decision' : ' decisions'); }
	function countLine() {
		var all = rowData().length;
		var n = fullShown ? all : shown.length;
		count.textContent = plural(n) + (n !== all ? ' of ' + all : '') +
			(!fullShown && rendered < n ? ', the first ' + rendered + ' shown' : '');
	}
	/* Copies results [rendered, upto) into the results body. */
	function renderTo(upto) {
		upto = Math.min(upto, shown.length);
		var frag = document.createDocumentFragment();
		for (var i = rendered; i < upto; i++) frag.appendChild(shown[i].tr.cloneNode(true));
		results.appendChild(frag);
		rendered = upto;
		var left = shown.length - rendered;
		more.hidden = left <= 0;
		if (left > 0) {
			moreNext.textContent = 'Show ' + Math.min(CAP, left) + ' more';
			moreAll.textContent = 'Show all ' + shown.length;
		}
	}
	/* Best first, equal scores in the log's order: a stable sort by score,
	 * done as one bucket per distinct score (there are few). */
	function byScore(list) {
		var groups = new Map();
		for (var i = 0; i < list.length; i++) {
			var g = groups.get(list[i].score);
			if (!g) groups.set(list[i].score, g = []);
			g.push(list[i]);
		}
		var out = [];
		Array.from(groups.keys()).sort(function (a, b) { return b - a; }).forEach(function (k) {
			var g = groups.get(k);
			for (var j = 0; j < g.length; j++) out.push(g[j]);
		});
		return out;
	}
	function stateKey() {
		return [q.value, fStatus.value, fTag.value, fMode.value, sortKey].join('\u0000');
	}
	function apply() {
		var scores = search(q.value);
		var st = fStatus.value, tg = fTag.value, md = fMode.value;
		applied = stateKey();
		markSort(!!scores);
		if (fullShown && !scores && !st && !tg && !md && (sortKey === '' || sortKey === '-date')) {
			countLine();
			saveLater();
			return;
		}
		shown = rowData().filter(function (r) {
			if ((st && r.status !== st) || (md && r.mode !== md) || (tg && r.tags.indexOf(tg) < 0)) return false;
			r.score = scores ? rowScore(r, scores) : 0;
			return !scores || r.score > 0;
		});
		if (scores) shown = byScore(shown);
		if (sortKey) shown = sortBy(shown, sortKey);
		results.textContent = '';
		rendered = 0;
		renderTo(CAP);
		if (fullShown) {
			wrap.classList.add('js-off');
			fullShown = false;
		}
		/* Nothing found: a sentence, not an empty table. */
		none.hidden = shown.length > 0;
		resultsWrap.hidden = shown.length === 0;
		if (!shown.length) {
			var what = q.value.trim();
			none.textContent = 'No records match' + (what ? ' \u201c' + what + '\u201d' : '') +
				(st || tg || md ? (what ? ' with' : '') + ' these filters' : '') + '.';
		}
		countLine();
		saveLater();
	}

	/* Keep the state in the address so Back and reload keep it, from file://
	 * too: the fragment is replaced, not added to the history. Written after
	 * a pause in typing, and at once when the box loses focus or the page is
	 * left. */
	var saveTimer = null;
	function saveLater() {
		clearTimeout(saveTimer);
		saveTimer = setTimeout(save, 300);
	}
	function hasState(h) {
		return /(^#|&)(q|status|tag|mode|sort)=/.test(h);
	}
	function save() {
		clearTimeout(saveTimer);
		saveTimer = null;
		var params = new URLSearchParams();
		if (q.value) params.set('q', q.value);
		if (fStatus.value) params.set('status', fStatus.value);
		if (fTag.value) params.set('tag', fTag.value);
		if (fMode.value) params.set('mode', fMode.value);
		if (sortKey) params.set('sort', sortKey);
		var h = params.toString();
		if (location.hash === (h ? '#' + h : '')) return;
		if (!h && !hasState(location.hash)) return; /* #main and the like stay */
		try {
			history.replaceState(null, '', h ? '#' + h : location.pathname + location.search);
		} catch (err) {
			location.replace('#' + h);
		}
	}
	function flush() { if (saveTimer !== null) save(); }

	/* Restore the state from the fragment. */
	function readHash() {
		var init = new URLSearchParams(location.hash.replace(/^#/, ''));
		q.value = init.get('q') || '';
		fStatus.value = init.get('status') || '';
		fTag.value = init.get('tag') || '';
		fMode.value = init.get('mode') || '';
		sortKey = validSort(init.get('sort'));
	}
	function showMore(upto, button) {
		var first = rendered;
		renderTo(upto);
		countLine();
		if (more.hidden && results.rows[first]) {
			var link = results.rows[first].querySelector('a');
			if (link) link.focus();
		} else if (button) {
			button.focus();
		}
	}
	readHash();
	q.addEventListener('input', apply);
	q.addEventListener('blur', flush);
	[fStatus, fTag, fMode].forEach(function (el) {
		el.addEventListener('change', function () { apply(); save(); });
	});
	moreNext.addEventListener('click', function () { showMore(rendered + CAP, moreNext); });
	moreAll.addEventListener('click', function () { showMore(shown.length, moreAll); });
	if (form) form.addEventListener('submit', function (e) { e.preventDefault(); apply(); });
	document.addEventListener('keydown', function (e) {
		if (e.key === '/' && document.activeElement !== q && !(e.target instanceof HTMLInputElement)) {
			e.preventDefault();
			q.focus();
		} else if (e.key === 'Escape' && document.activeElement === q) {
			q.value = '';
			apply();
		}
	});
	/* An address with a state typed in, or with none (Back to the plain log);
	 * not the skip link's #main. */
	window.addEventListener('hashchange', function () {
		if (location.hash === '' || location.hash === '#' || hasState(location.hash)) {
			readHash();
			if (stateKey() !== applied) apply();
		}
	});
	window.addEventListener('pagehide', flush);
	/* A page brought back with its form filled in again by the browser. */
	window.addEventListener('pageshow', function () {
		if (applied !== null ? applied !== stateKey() : (q.value || fStatus.value || fTag.value || fMode.value)) apply();
	});
	/* Printing a search prints all its results, in the order shown. */
	window.addEventListener('beforeprint', function () {
		if (!fullShown && rendered < shown.length) {
			renderTo(shown.length);
			countLine();
		}
	});
	if (q.value || fStatus.value || fTag.value || fMode.value || sortKey) apply();
	else markSort(false);
	buildWhenIdle();
})();
