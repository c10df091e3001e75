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
 * every document (same sums in the same order). */
(function () {
	'use strict';
	var table = document.getElementById('log');
	var q = document.getElementById('q');
	if (!table || !q) return;
	var CAP = 50;
	var full = table.tBodies[0];
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
			addWords(words(d.n + ' ' + d.t));
			offs[3 * built + 1] = used;
			addWords(words((d.g || []).join(' ') + ' ' + (d.p || []).join(' ')));
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
	 * word it starts (counted for the last term only: it is being typed). */
	function kindsOf(term, prefix) {
		var k = new Uint8Array(vocabList.length);
		var exact = vocab.get(term);
		if (exact !== undefined) k[exact] = 1;
		if (prefix) {
			for (var i = 0; i < vocabList.length; i++)
				if (i !== exact && vocabList[i].lastIndexOf(term, 0) === 0) k[i] = 2;
		}
		return k;
	}
	function runScore(k, from, to, weight) {
		var s = 0;
		for (var j = from; j < to; j++) {
			var c = k[ids[j]];
			if (c === 1) s += weight;
			else if (c === 2) s += weight * 0.6;
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
	 * (documents, the index, per row: usually one). */
	var rows = null;
	function rowData() {
		if (rows) return rows;
		var docsOf = Object.create(null);
		docs.forEach(function (d, i) { (docsOf[d.n] || (docsOf[d.n] = [])).push(i); });
		rows = Array.prototype.map.call(full.rows, function (tr) {
			var n = tr.getAttribute('data-n');
			return {
				tr: tr, docs: docsOf[n] || [], score: 0, status: tr.getAttribute('data-status'),
				mode: tr.getAttribute('data-mode'), tags: (tr.getAttribute('data-tags') || '').split(',')
			};
		});
		return rows;
	}
	function rowScore(r, scores) {
		for (var j = r.docs.length - 1; j >= 0; j--)
			if (scores[r.docs[j]] > 0) return scores[r.docs[j]];
		return 0;
	}

	/* Until the first search the page shows the log as it was built; from
	 * then on, the results table: the records that pass, best first,
	 * the first CAP of them copied in, more on demand. */
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
		return [q.value, fStatus.value, fTag.value, fMode.value].join('\u0000');
	}
	function apply() {
		var scores = search(q.value);
		var st = fStatus.value, tg = fTag.value, md = fMode.value;
		applied = stateKey();
		if (fullShown && !scores && !st && !tg && !md) {
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
		results.textContent = '';
		rendered = 0;
		renderTo(CAP);
		if (fullShown) {
			wrap.classList.add('js-off');
			resultsWrap.hidden = false;
			fullShown = false;
		}
		countLine();
		saveLater();
	}

	/* Keep the state in the address so back and reload keep it (not from file://,
	 * where browsers refuse history changes). Written after a pause in typing,
	 * and at once when the box loses focus or the page is left. */
	var saveTimer = null;
	function saveLater() {
		clearTimeout(saveTimer);
		saveTimer = setTimeout(save, 300);
	}
	function save() {
		clearTimeout(saveTimer);
		saveTimer = null;
		if (location.protocol === 'file:') return;
		var params = new URLSearchParams();
		if (q.value) params.set('q', q.value);
		if (fStatus.value) params.set('status', fStatus.value);
		if (fTag.value) params.set('tag', fTag.value);
		if (fMode.value) params.set('mode', fMode.value);
		var h = params.toString();
		if (location.hash === (h ? '#' + h : '')) return;
		try { history.replaceState(null, '', h ? '#' + h : location.pathname); } catch (err) { /* ignore */ }
	}
	function flush() { if (saveTimer !== null) save(); }

	/* Restore the state from the fragment (works from file:// too). */
	function readHash() {
		var init = new URLSearchParams(location.hash.replace(/^#/, ''));
		q.value = init.get('q') || '';
		fStatus.value = init.get('status') || '';
		fTag.value = init.get('tag') || '';
		fMode.value = init.get('mode') || '';
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
	document.getElementById('controls').addEventListener('submit', function (e) { e.preventDefault(); apply(); });
	document.addEventListener('keydown', function (e) {
		if (e.key === '/' && document.activeElement !== q && !(e.target instanceof HTMLInputElement)) {
			e.preventDefault();
			q.focus();
		} else if (e.key === 'Escape' && document.activeElement === q) {
			q.value = '';
			apply();
		}
	});
	/* An address with a state typed in (not the skip link's #main). */
	window.addEventListener('hashchange', function () {
		if (/(^#|&)(q|status|tag|mode)=/.test(location.hash)) {
			readHash();
			apply();
		}
	});
	window.addEventListener('pagehide', flush);
	/* A page brought back with its form filled in again by the browser. */
	window.addEventListener('pageshow', function () {
		if (applied !== null ? applied !== stateKey() : (q.value || fStatus.value || fTag.value || fMode.value)) apply();
	});
	if (q.value || fStatus.value || fTag.value || fMode.value) apply();
	buildWhenIdle();
})();
