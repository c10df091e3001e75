/* adr html: filters and an offline search over search-index.js.
 * No request is made: the index is a script the page loads next to this one. */
(function () {
	'use strict';
	var table = document.getElementById('log');
	var q = document.getElementById('q');
	if (!table || !q) return;
	var tbody = table.tBodies[0];
	var fStatus = document.getElementById('f-status');
	var fTag = document.getElementById('f-tag');
	var fMode = document.getElementById('f-mode');
	var count = document.getElementById('count');
	var rows = Array.prototype.slice.call(tbody.rows);
	var byId = Object.create(null);
	rows.forEach(function (tr) { byId[tr.getAttribute('data-n')] = tr; });
	var docs = (window.ADR_SEARCH_INDEX && window.ADR_SEARCH_INDEX.docs) || [];

	function fold(s) {
		return String(s || '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
	}
	function words(s) {
		return fold(s).split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 0; });
	}
	/* Every document is split into words once, at the first search, so a
	 * large log opens at once. */
	var prepared = null;
	function prepare() {
		if (prepared) return prepared;
		prepared = docs.map(function (d) {
			return {
				n: d.n,
				title: words(d.n + ' ' + d.t),
				tags: words((d.g || []).join(' ') + ' ' + (d.p || []).join(' ')),
				body: words(d.x)
			};
		});
		return prepared;
	}
	function termScore(term, list, prefix, weight) {
		var s = 0;
		for (var i = 0; i < list.length; i++) {
			var w = list[i];
			if (w === term) s += weight;
			else if (prefix && w.lastIndexOf(term, 0) === 0) s += weight * 0.6;
		}
		return s;
	}
	/* Every term must match somewhere; the last one may be a prefix (typing). */
	function search(query) {
		var terms = words(query);
		if (!terms.length) return null;
		var scores = Object.create(null);
		prepare().forEach(function (d) {
			var total = 0;
			for (var i = 0; i < terms.length; i++) {
				var prefix = i === terms.length - 1;
				var s = termScore(terms[i], d.title, prefix, 10) + termScore(terms[i], d.tags, prefix, 5) +
					Math.min(termScore(terms[i], d.body, prefix, 1), 8);
				if (s === 0) return;
				total += s;
			}
			scores[d.n] = total;
		});
		return scores;
	}
	function apply() {
		var scores = search(q.value);
		var st = fStatus.value, tg = fTag.value, md = fMode.value;
		var shown = rows.filter(function (tr) {
			var ok = (!st || tr.getAttribute('data-status') === st) &&
				(!md || tr.getAttribute('data-mode') === md) &&
				(!tg || (tr.getAttribute('data-tags') || '').split(',').indexOf(tg) >= 0) &&
				(!scores || scores[tr.getAttribute('data-n')] !== undefined);
			tr.classList.toggle('js-hidden', !ok);
			return ok;
		});
		var order = scores ? shown.slice().sort(function (a, b) {
			return scores[b.getAttribute('data-n')] - scores[a.getAttribute('data-n')];
		}) : rows;
		var frag = document.createDocumentFragment();
		order.forEach(function (tr) { frag.appendChild(tr); });
		if (scores) rows.forEach(function (tr) { if (tr.classList.contains('js-hidden')) frag.appendChild(tr); });
		tbody.appendChild(frag);
		count.textContent = shown.length + (shown.length === 1 ? ' decision' : ' decisions') +
			(shown.length !== rows.length ? ' of ' + rows.length : '');
		var params = new URLSearchParams();
		if (q.value) params.set('q', q.value);
		if (st) params.set('status', st);
		if (tg) params.set('tag', tg);
		if (md) params.set('mode', md);
		var h = params.toString();
		/* Keep the state in the address so back and reload keep it (not from file://,
		 * where browsers refuse history changes). */
		if (location.protocol !== 'file:') {
			try { history.replaceState(null, '', h ? '#' + h : location.pathname); } catch (err) { /* ignore */ }
		}
	}
	/* Restore the state from the fragment (works from file:// too). */
	var init = new URLSearchParams(location.hash.replace(/^#/, ''));
	q.value = init.get('q') || '';
	fStatus.value = init.get('status') || '';
	fTag.value = init.get('tag') || '';
	fMode.value = init.get('mode') || '';
	var timer = null;
	q.addEventListener('input', function () {
		clearTimeout(timer);
		timer = setTimeout(apply, rows.length > 2000 ? 120 : 30);
	});
	[fStatus, fTag, fMode].forEach(function (el) { el.addEventListener('change', apply); });
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
	if (q.value || fStatus.value || fTag.value || fMode.value) apply();
})();
