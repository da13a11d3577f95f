/* The site's search (Pagefind) behind the header's dialog, the home page's box and the partner directory, which
   also filters and sorts with it and keeps the choice in the address. Without JavaScript the built, paginated
   list and plain links stay as they are. Partner values are only ever set with textContent or as attribute
   values, never as HTML. */
(function () {
  "use strict";

  var FILTERS = ["q", "pattern", "side", "sector", "province", "stage"];
  var PARAMS = FILTERS.concat(["sort"]);  // kept in the address; sort orders the list, it filters nothing
  // The words typed are ?cari= in the address: Material opens its own search dialog for ?q=.
  function param(name) { return name === "q" ? "cari" : name; }
  var ADDRESS = PARAMS.map(param);

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* The option of a list the address names: its value exactly, or written in other capitals or without
     accents ("?province=aceh"), or its label. "" when none. */
  function optionFor(select, value) {
    if (!value) return "";
    if (select.querySelector('option[value="' + CSS.escape(value) + '"]')) return value;
    var want = fold(value).trim();
    for (var i = 0; i < select.options.length; i++) {
      var option = select.options[i];
      if (option.value && (fold(option.value) === want || fold(option.getAttribute("data-label") || "") === want)) return option.value;
    }
    return "";
  }

  function initials(name) {
    var words = name.split(/\s+/).filter(Boolean);
    return ((words[0] || "").charAt(0) + (words[1] || "").charAt(0)).toUpperCase();
  }

  /* Pagefind, the site's one search engine: its script and index live in pagefind/ beside each edition's
     pages and are fetched only when a reader searches (the index in small pieces, as needed). */
  var engines = {};
  var PARTNERS = { not: { kind: "page" } };  // partners only: pages carry a kind, partners none
  function siteBase(base) { return new URL(base || "./", window.location.href); }
  // termSimilarity above Pagefind's 1: a whole word typed ranks its pages above those of longer words that
  // only begin with it ("bali" finds Bali before Balikpapan).
  function loadPagefind(base) {
    var root = siteBase(base);
    var key = root.href;
    if (!engines[key]) {
      engines[key] = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        return Promise.resolve(pf.options({ baseUrl: root.pathname, excerptLength: 22, ranking: { termSimilarity: 4 } })).then(function () { return withFresh(pf, root); });
      });
      engines[key].catch(function () { delete engines[key]; });
    }
    return engines[key];
  }

  /* Only in a staff preview (its page names the folder): the partners changed since the whole index was
     written have an index of their own, made seconds after a save. It is merged in, and the whole index's
     documents it replaces (stale.json: their addresses, each a filter of that index) are left out of every
     search. Until the whole index is written again, a sorted list may show those partners out of their place
     (Pagefind orders merged answers by score, whatever the sort). */
  function withFresh(pf, root) {
    var named = document.querySelector('meta[name="portal-fresh-search"]');
    if (!named) return pf;
    var at = new URL(named.getAttribute("content") + "/", root);
    return fetch(new URL("stale.json", at).href, { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (made) {
        var stale = made.stale || [];
        if (!made.fresh && !stale.length) return pf;  // the whole index is current
        var merged = made.fresh ? pf.mergeIndex(at.href, { baseUrl: root.pathname, excerptLength: 22, ranking: { termSimilarity: 4 } }) : null;
        return Promise.resolve(merged).then(function () {
          // A plain copy of the module's functions (a module's own cannot be replaced), searching without the stale.
          return Object.assign({}, pf, {
            search: function (term, options) {
              var o = Object.assign({}, options);
              o.filters = Object.assign({}, o.filters);
              o.filters.none = (o.filters.none || []).concat([{ "portal-key": { any: stale } }]);
              return pf.search(term, stale.length ? o : options);
            }
          });
        });
      })
      .catch(function () { return pf; });
  }

  /* Is a word of the query in the index? Pagefind answers a word it does not know with the longest indexed
     word it starts with ("kerupuk" finds every "ke"): such an answer is no answer. Seen by the words its
     first result marks: 2 when one of them is the word, begins with it or is another form of it (neither
     begins the other nor shares four first letters with it), 1 when they only share a beginning with it at least 60 % as long (perhaps a stem, perhaps a
     typo), 0 otherwise. Kept per word and edition. */
  var known = {};
  function shared(a, b) {  // how many first letters two words have in common
    var i = 0;
    while (i < a.length && i < b.length && a.charAt(i) === b.charAt(i)) i++;
    return i;
  }
  function marksOf(excerpt) {
    var out = [];
    String(excerpt || "").replace(/<mark>([\s\S]*?)<\/mark>/g, function (all, text) { out.push(fold(text)); return all; });
    return out;
  }
  function isKnown(pf, term, key) {
    var word = fold(term);
    var id = key + "\u0000" + word;
    if (!known[id]) {
      known[id] = pf.search(term).then(function (result) {
        if (!result.results.length) return 0;
        return result.results[0].data().then(function (data) {
          var marks = marksOf(data.excerpt);
          var enough = Math.max(4, 0.6 * word.length);
          if (!marks.length || marks.some(function (m) { return m.indexOf(word) === 0 || (word.indexOf(m) !== 0 && shared(m, word) < 4); })) return 2;
          return marks.some(function (m) { return shared(m, word) >= enough; }) ? 1 : 0;
        });
      });
      known[id].catch(function () { delete known[id]; });
    }
    return known[id];
  }

  /* A typo: a word of five letters or more that the index does not hold is read as the indexed word one edit
     away (a letter added, left out, changed, or two neighbours swapped), the one found in most pages. The
     index's words come by length (pagefind/typo/N.json, made with the index), fetched only for such a word. */
  var lexicon = {};
  function wordsOfLength(base, n) {
    var url = new URL("pagefind/typo/" + n + ".json", siteBase(base)).href;
    if (!lexicon[url]) {
      lexicon[url] = fetch(url).then(function (r) { return r.ok ? r.json() : []; }).then(function (list) {
        return Array.isArray(list) ? list : [];
      }, function () { delete lexicon[url]; return []; });
    }
    return lexicon[url];
  }
  function oneEdit(a, b) {
    var la = a.length, lb = b.length;
    if (a === b || Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a.charAt(i) === b.charAt(i)) i++;
    if (la === lb) {
      return a.slice(i + 1) === b.slice(i + 1) ||
        (a.charAt(i) === b.charAt(i + 1) && a.charAt(i + 1) === b.charAt(i) && a.slice(i + 2) === b.slice(i + 2));
    }
    return la < lb ? a.slice(i) === b.slice(i + 1) : a.slice(i + 1) === b.slice(i);
  }
  function nearest(base, word) {
    var n = word.length;
    if (n < 5 || !/^[a-z]+$/.test(word)) return Promise.resolve(null);
    return Promise.all([n, n - 1, n + 1].map(function (m) { return wordsOfLength(base, m); })).then(function (lists) {
      var best = null, rank = Infinity;  // the same length first, then by how many pages hold the word
      lists.forEach(function (list) {
        for (var i = 0; i < list.length && i < rank; i++) {
          if (oneEdit(word, list[i])) { best = list[i]; rank = i; break; }
        }
      });
      return best;
    });
  }
  function readAs(pf, term, key) {
    var base = siteBase(key).href;
    return isKnown(pf, term, base).then(function (verdict) {
      if (verdict === 2) return term;
      return nearest(key, fold(term)).then(function (word) {
        return word ? isKnown(pf, word, base).then(function (v) { return v === 2 ? word : null; }) : null;
      }).then(function (word) { return word || (verdict ? term : null); });
    });
  }

  /* A search that never leaves a reader with nothing when most words match: Pagefind answers pages holding
     every word; words it does not know (and no typo of a known word) count as unmatched; when no page holds
     all the known ones, each is searched alone and the pages holding the most come first. Pages matching
     half the words or fewer are not shown (`partial` is true when not every word matched; `corrected` is the
     query as it was read when a typo was corrected). */
  function find(pf, q, options, key) {
    var terms = (q || "").split(/\s+/).filter(Boolean);
    if (!terms.length) return pf.search(null, options);
    return Promise.all(terms.map(function (t) { return readAs(pf, t, key); })).then(function (read) {
      var good = read.filter(Boolean);
      var corrected = read.some(function (w, i) { return w && w !== terms[i]; }) ? read.map(function (w, i) { return w || terms[i]; }).join(" ") : "";
      var none = { results: [], partial: false, filters: null, corrected: corrected };
      if (good.length * 2 <= terms.length) return none;
      return pf.search(good.join(" "), options).then(function (result) {
        result.corrected = corrected;
        if (result.results.length) { result.partial = good.length < terms.length; return result; }
        if (good.length < 2) return none;
        return Promise.all(good.map(function (term) { return pf.search(term, options); })).then(function (each) {
          var hits = {}, order = [];
          each.forEach(function (r) {
            r.results.forEach(function (hit, rank) {
              var seen = hits[hit.id];
              if (!seen) { seen = hits[hit.id] = { hit: hit, count: 0, rank: 0 }; order.push(seen); }
              seen.count += 1;
              seen.rank += rank;
            });
          });
          order = order.filter(function (x) { return x.count * 2 > terms.length; });
          order.sort(function (a, b) { return b.count - a.count || a.rank - b.rank; });
          return { results: order.map(function (x) { return x.hit; }), partial: order.length > 0, filters: null, corrected: corrected };
        });
      });
    });
  }

  /* Pagefind's excerpt marks the matched words with <mark>: rebuilt here as text nodes and <mark> elements,
     never as HTML, from an inert parsed copy. */
  function excerptNodes(excerpt) {
    var fragment = document.createDocumentFragment();
    var parsed = new DOMParser().parseFromString("<p>" + (excerpt || "") + "</p>", "text/html").body;
    Array.prototype.forEach.call(parsed.querySelectorAll("p")[0] ? parsed.querySelector("p").childNodes : [], function (node) {
      if (node.nodeName === "MARK") fragment.appendChild(el("mark", null, node.textContent));
      else fragment.appendChild(document.createTextNode(node.textContent));
    });
    return fragment;
  }

  /* The words around the match cut from a partner's own words only: its summary, story and activities,
     the first `meta.own` words of what Pagefind indexed (the words it locates count as Pagefind splits them;
     the summary is the first `meta.lead`). From word `from` on; null when no match lies there. Pages keep
     Pagefind's excerpt. */
  var EXCERPT = 22;
  function ownExcerpt(data, from) {
    var meta = data.meta || {};
    if (meta.kind !== "partner") return excerptNodes(data.excerpt);
    var own = parseInt(meta.own, 10) || 0;
    var tokens = String(data.content || "").split(/[\r\n\s]+/g);
    var at = (data.locations || []).filter(function (n) { return n >= from && n < own; }).sort(function (a, b) { return a - b; });
    if (!at.length) return null;
    var start = Math.max(from, Math.min(at[0] - 4, own - EXCERPT)), end = Math.min(own, start + EXCERPT);
    var marked = {};
    at.forEach(function (n) { marked[n] = true; });
    var fragment = document.createDocumentFragment();
    if (start > from) fragment.appendChild(document.createTextNode("… "));
    for (var i = start; i < end; i++) {
      if (i > start) fragment.appendChild(document.createTextNode(" "));
      if (marked[i]) fragment.appendChild(el("mark", null, tokens[i]));
      else fragment.appendChild(document.createTextNode(tokens[i] || ""));
    }
    if (end < own) fragment.appendChild(document.createTextNode(" …"));
    return fragment;
  }

  function words(root, key, n, values) {
    var text = root.getAttribute("data-text-" + key + (n === undefined ? "" : n === 1 ? "-one" : "-other")) || "";
    return text.replace(/\{(\w+)\}/g, function (all, name) { return values && name in values ? String(values[name]) : all; });
  }

  /* One result of the header's or the home page's search: what it is, its name as a link, where it is, and
     the words around the match. */
  function resultItem(data, root) {
    var meta = data.meta || {};
    var partner = meta.kind === "partner";
    var li = el("li", "portal-result" + (partner ? " portal-result--partner" : ""));
    var link = el("a", "portal-result__title", meta.title || data.url);
    link.href = data.url;
    li.appendChild(link);
    var facts = [words(root, partner ? "partner" : "page")];
    if (partner) facts.push(meta.tags, meta.province);
    li.appendChild(el("p", "portal-result__meta", facts.filter(Boolean).join(" · ")));
    var excerpt = el("p", "portal-result__excerpt");
    var own = ownExcerpt(data, 0);
    if (own) excerpt.appendChild(own);
    else excerpt.textContent = meta.summary || "";  // matched by its name, place or pattern: what it does
    if (!own && meta.summary_lang) excerpt.setAttribute("lang", meta.summary_lang);
    li.appendChild(excerpt);
    return li;
  }

  /* A search box with its results below it (the header's dialog, the home page). `root` carries the words
     (data-text-*) and the edition's base; `partnersOnly` limits it to partners. */
  function LiveSearch(root, input, list, status, all, partnersOnly) {
    var seq = 0, timer = null, self = this;
    this.root = root;
    function run() {
      var q = input.value.trim();
      var mine = ++seq;
      if (all) {
        all.hidden = !q;
        var a = all.querySelector("a");
        if (a) a.href = a.href.split("?")[0] + (q ? "?cari=" + encodeURIComponent(q) : "");
      }
      if (!q) { list.replaceChildren(); status.textContent = ""; root.removeAttribute("data-state"); root.removeAttribute("data-query"); return; }
      root.setAttribute("data-state", "searching");
      status.textContent = words(root, "loading");
      loadPagefind(root.getAttribute("data-base"))
        .then(function (pf) { return find(pf, q, partnersOnly ? { filters: PARTNERS } : {}, root.getAttribute("data-base")); })
        .then(function (search) {
          if (mine !== seq || !search) return null;
          return Promise.all(search.results.slice(0, 8).map(function (r) { return r.data(); })).then(function (rows) { return [search, rows]; });
        })
        .then(function (pair) {
          if (!pair || mine !== seq) return;
          var fragment = document.createDocumentFragment();
          pair[1].forEach(function (data) { fragment.appendChild(resultItem(data, root)); });
          list.replaceChildren(fragment);
          var n = pair[0].results.length;
          status.textContent = (!n ? words(root, "none", undefined, { q: q }) : pair[0].partial ? words(root, "partial", n, { n: n }) : words(root, "hits", n, { n: n })) +
            (n && pair[0].corrected ? " " + words(root, "corrected", undefined, { q: pair[0].corrected }) : "");
          root.setAttribute("data-query", q);  // which words the results shown answer (read by the tests)
          root.setAttribute("data-state", "done");
          mark("portal-search-results");
        })
        .catch(function (error) {
          if (mine !== seq) return;
          status.textContent = words(root, "error");
          root.setAttribute("data-state", "error");
          if (window.console) console.warn("Pencarian:", error);
        });
    }
    this.run = run;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
    input.addEventListener("focus", function () { loadPagefind(root.getAttribute("data-base")).catch(function () {}); }, { once: true });
  }

  /* The header's search dialog, made from the edition's words (assets/portal-words.js) beside the magnifier
     link: a labelled search form, a live status, the results, and a link to all of them in the directory. */
  var DIALOG_WORDS = ["loading", "corrected", "none", "hits-one", "hits-other", "partial-one", "partial-other", "partner", "page", "error"];

  function makeSearchDialog(opener, T) {
    var dialog = el("dialog", "portal-search-dialog");
    dialog.id = "portal-search-dialog";
    dialog.setAttribute("aria-label", T.title);
    dialog.setAttribute("data-base", opener.getAttribute("data-base") || "");
    DIALOG_WORDS.forEach(function (key) { dialog.setAttribute("data-text-" + key, T[key] || ""); });
    var form = el("form", "portal-search-dialog__form");
    form.action = opener.href;
    form.method = "get";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", T.region);
    var label = el("label", "portal-search-dialog__label", T.title);
    label.htmlFor = "portal-search-q";
    var row = el("div", "portal-search-dialog__row");
    var input = el("input");
    input.id = "portal-search-q";
    input.name = "cari";
    input.type = "search";
    [["autocomplete", "off"], ["autocapitalize", "off"], ["spellcheck", "false"], ["enterkeyhint", "search"], ["placeholder", T.placeholder]]
      .forEach(function (pair) { input.setAttribute(pair[0], pair[1]); });
    var close = el("button", "md-button portal-search-dialog__close", T.close);
    close.type = "button";
    close.value = "close";
    row.append(input, close);
    form.append(label, row);
    var status = el("p", "portal-search-dialog__status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var all = el("p", "portal-search-dialog__all");
    all.hidden = true;
    var link = el("a", "", T.all);
    link.href = opener.href;
    all.appendChild(link);
    dialog.append(form, status, el("ol", "portal-results"), all);
    opener.after(dialog);
    opener.setAttribute("aria-haspopup", "dialog");
    opener.setAttribute("aria-controls", dialog.id);
    return dialog;
  }

  /* The header's search: the magnifier link opens a dialog where browsers have <dialog>; elsewhere it stays
     a link to the directory. */
  function initHeaderSearch() {
    var opener = document.querySelector(".portal-search-open");
    if (!opener || !window.portalWords || typeof HTMLDialogElement !== "function" || document.getElementById("portal-search-dialog")) return;
    var dialog = makeSearchDialog(opener, window.portalWords);
    dialog.setAttribute("data-ready", "true");
    var input = dialog.querySelector("input[name=cari]");
    var live = new LiveSearch(dialog, input, dialog.querySelector(".portal-results"), dialog.querySelector(".portal-search-dialog__status"), dialog.querySelector(".portal-search-dialog__all"), false);
    function open(event) {
      if (event) event.preventDefault();
      if (!dialog.open) dialog.showModal();
      input.focus();
      input.select();
    }
    opener.addEventListener("click", open);
    dialog.querySelector(".portal-search-dialog__close").addEventListener("click", function () { dialog.close(); });
    // Escape closes the dialog at once (in a search field the browser would first only empty the field).
    input.addEventListener("keydown", function (event) { if (event.key === "Escape") { event.preventDefault(); dialog.close(); } });
    dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });  // the backdrop
    document.addEventListener("keydown", function (event) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((event.target && event.target.tagName) || "") || (event.target && event.target.isContentEditable);
      if (event.key === "/" && !typing && !dialog.open && !event.ctrlKey && !event.metaKey && !event.altKey) open(event);
    });
    void live;
  }

  /* The home page's search box: results as the reader types; pressing Enter (or the button) opens the
     directory with the words, where the filters can narrow them. */
  function initHomeSearch() {
    var form = document.querySelector("form.portal-search");
    if (!form || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "true");
    var input = form.querySelector("input[name=cari]");
    new LiveSearch(form, input, form.querySelector(".portal-results"), form.querySelector(".portal-search__status"), form.querySelector(".portal-search__all"), true);
  }

  function Directory(root) {
    this.root = root;
    this.form = root.querySelector(".portal-filters");
    this.list = root.querySelector(".portal-cards");
    this.count = root.querySelector(".portal-count");
    this.more = root.querySelector(".portal-more");
    this.empty = root.querySelector(".portal-empty");
    this.pages = root.querySelector(".portal-pages");
    this.toggle = root.querySelector(".portal-filters__toggle");
    this.chips = root.querySelector(".portal-chips");
    this.base = root.getAttribute("data-base") || "";
    this.pageSize = parseInt(root.getAttribute("data-page-size"), 10) || 48;
    this.total = parseInt(root.getAttribute("data-total"), 10) || 0;
    this.target = root.getAttribute("data-link-target") || "";
    this.shown = this.pageSize;
    this.labels = {};
    this.seq = 0;
    this.hits = null;  // Pagefind's results for the current choice; null while the built list is shown
  }

  /* The page's words, from the site's message catalog (data-text-* on the directory): "{total} mitra." and
     the like, with the singular or plural form chosen by the number. */
  Directory.prototype.say = function (key, n, values) { return words(this.root, key, n, values); };

  function mark(name) {
    if (window.performance && performance.mark) performance.mark(name);  // read by scripts/bench.py
  }

  Directory.prototype.setup = function () {
    mark("portal-directory-init");
    var self = this;
    this.original = Array.prototype.slice.call(this.list.children);
    this.originalCount = this.count.textContent;
    Array.prototype.forEach.call(this.form.querySelectorAll("option"), function (option) {
      self.labels[option.parentNode.name + "=" + option.value] = option.getAttribute("data-label") || option.textContent;
      option.setAttribute("data-static", option.textContent);
    });
    this.form.hidden = false;
    this.form.addEventListener("change", function (event) {
      // A side belongs to one pattern: choosing another pattern drops a side that is not one of its own.
      var side = self.form.elements.side;
      if (event.target.name === "pattern" && side.value) {
        var chosen = side.options[side.selectedIndex];
        if (event.target.value && chosen.getAttribute("data-pattern") !== event.target.value) side.value = "";
      }
      if (event.target.name === "q") return;
      self.shown = self.pageSize;
      self.update(true);
    });
    // Typing searches after a short pause and then writes the address: the first pause of a burst of
    // typing adds a history entry (so Back undoes the search), later ones replace it.
    var timer = null;
    var typing = false;
    this.form.addEventListener("change", function (event) { if (event.target.name !== "q") typing = false; });
    this.form.querySelector("[name=q]").addEventListener("input", function () {
      self.shown = self.pageSize;
      clearTimeout(timer);
      timer = setTimeout(function () { self.writeURL(!typing); typing = true; self.apply(); }, 150);
    });
    this.form.querySelector("[name=q]").addEventListener("focus", function () { loadPagefind(self.base).catch(function () {}); }, { once: true });
    this.form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); self.update(false); });
    this.form.addEventListener("reset", function () {
      setTimeout(function () {
        self.shown = self.pageSize;
        self.update(true);
        self.form.elements.q.focus();  // the button has gone with the filters: the reader goes on from the search box
      }, 0);
    });
    this.more.addEventListener("click", function () { self.shown += self.pageSize; self.apply(true); });
    // On a phone the filters wait behind one button, so the first partner is on the first screen; "Lihat
    // hasil" closes them again and brings the reader to the count, the chosen filters and the list.
    function openPanel(open) {
      self.toggle.setAttribute("aria-expanded", String(open));
      self.form.classList.toggle("is-open", open);
    }
    if (this.toggle) this.toggle.addEventListener("click", function () { openPanel(self.toggle.getAttribute("aria-expanded") !== "true"); });
    var done = this.form.querySelector(".portal-filters__done");
    if (this.toggle && done) done.addEventListener("click", function () {
      openPanel(false);
      self.toggle.focus({ preventScroll: true });
      self.toggle.parentNode.scrollIntoView({ block: "start" });
    });
    // An active filter is shown as a chip; pressing it removes that filter.
    if (this.chips) this.chips.addEventListener("click", function (event) {
      var chip = event.target.closest("button[data-name]");
      if (!chip) return;
      self.form.elements[chip.getAttribute("data-name")].value = "";
      self.shown = self.pageSize;
      self.update(true);
      var next = self.chips.querySelector("button") || self.form.elements.q;
      next.focus();
    });
    var facets = this.root.querySelector(".portal-facets");
    if (facets) {
      var reach = function () {
        if (self.counting) return;
        self.counting = true;
        if (self.hits) self.apply();  // the list stays; the counts arrive
      };
      facets.addEventListener("focusin", reach);
      facets.addEventListener("pointerdown", reach);
    }
    this.onPop = function () { self.readURL(); self.apply(); };
    window.addEventListener("popstate", this.onPop);
    this.readURL();
    return this.apply();
  };

  Directory.prototype.values = function () {
    var out = {};
    var form = this.form;
    PARAMS.forEach(function (name) { out[name] = (form.elements[name].value || "").trim(); });
    return out;
  };

  Directory.prototype.readURL = function () {
    var params = new URLSearchParams(window.location.search);
    var form = this.form;
    // Other parameters (such as controls=0 of the embedded view) are kept as they are.
    this.keep = {};
    var keep = this.keep;
    params.forEach(function (value, name) { if (ADDRESS.indexOf(name) < 0) keep[name] = value; });
    form.hidden = keep.controls === "0";
    PARAMS.forEach(function (name) {
      var value = params.get(param(name)) || "";
      var field = form.elements[name];
      field.value = field.tagName === "SELECT" ? optionFor(field, value) : value;
    });
  };

  Directory.prototype.writeURL = function (push) {
    var params = new URLSearchParams();
    var keep = this.keep || {};
    Object.keys(keep).forEach(function (name) { params.set(name, keep[name]); });
    var values = this.values();
    PARAMS.forEach(function (name) { if (values[name]) params.set(param(name), values[name]); });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (url === window.location.pathname + window.location.search + window.location.hash) return;
    if (push) window.history.pushState(window.history.state, "", url);
    else window.history.replaceState(window.history.state, "", url);
  };

  Directory.prototype.update = function (push) {
    this.writeURL(push);
    this.apply();
  };

  var FACETS = ["pattern", "side", "sector", "province", "stage"];

  /* The query for Pagefind: the words, the chosen facets (a side is named with its pattern: two patterns
     may share a side's id) and the order. With words and no chosen order, the best matches come first. */
  Directory.prototype.query = function (v) {
    var filters = { not: PARTNERS.not };
    if (v.pattern) filters.pattern = v.pattern;
    if (v.side) {
      var option = this.form.elements.side.querySelector('option[value="' + CSS.escape(v.side) + '"]' + (v.pattern ? '[data-pattern="' + CSS.escape(v.pattern) + '"]' : ""));
      filters.side = (option ? option.getAttribute("data-pattern") : v.pattern) + "/" + v.side;
    }
    if (v.sector) filters.sector = v.sector;
    if (v.province) filters.province = v.province;
    if (v.stage) filters.stage = v.stage;
    var options = { filters: filters };
    if (v.sort === "newest") options.sort = { since: "desc" };
    else if (v.sort === "name" || !v.q) options.sort = { name: "asc" };
    return options;
  };

  /* Show what the form asks for: the list as built when nothing is chosen, else Pagefind's answer. `more`
     keeps the results already shown and adds the next ones. */
  Directory.prototype.apply = function (more) {
    var v = this.values();
    var self = this;
    var mine = ++this.seq;
    var chosen = FILTERS.some(function (name) { return v[name]; });
    this.showChips(v);
    this.showSort(v);
    if (!chosen && !more && !v.sort) {
      this.hits = null;
      this.list.replaceChildren.apply(this.list, this.original);
      this.count.textContent = this.originalCount;
      this.empty.hidden = true;
      this.more.hidden = this.total <= this.original.length;
      if (this.pages) this.pages.hidden = !this.more.hidden;
      this.showCounts(v, null);
      this.root.setAttribute("data-query", "");
      this.root.setAttribute("data-state", "done");
      return Promise.resolve();
    }
    this.root.setAttribute("data-state", "searching");
    this.root.setAttribute("aria-busy", "true");
    return loadPagefind(this.base)
      .then(function (pf) {
        // The counts beside the options need every filter's list (a few KB a thousand partners): fetched
        // once a filter is chosen or the reader reaches for one, not for words alone.
        var counting = self.counting || FACETS.some(function (name) { return v[name]; });
        return Promise.resolve(counting ? (self.facetTotals || pf.filters()) : null).then(function (totals) {
          if (totals) self.facetTotals = totals;
          return find(pf, v.q || null, self.query(v), self.base);
        });
      })
      .then(function (search) {
        if (mine !== self.seq) return null;
        self.hits = search.results;
        self.showCounts(v, self.facetTotals && search.filters ? search.filters : null);
        var start = more ? self.list.children.length : 0;
        var slice = search.results.slice(start, self.shown);
        return Promise.all(slice.map(function (r) { return r.data(); })).then(function (rows) { return [search, rows, start]; });
      })
      .then(function (triple) {
        if (!triple || mine !== self.seq) return;
        var fragment = document.createDocumentFragment();
        triple[1].forEach(function (data) { fragment.appendChild(self.card(data, !!v.q)); });
        if (triple[2] > 0) self.list.appendChild(fragment);
        else self.list.replaceChildren(fragment);
        var n = triple[0].results.length;
        self.count.textContent = triple[0].partial ? self.say("partial", n, { hits: n, total: self.total })
          : chosen ? self.say("filtered", n, { hits: n, total: self.total }) : self.say("all", self.total, { total: self.total });
        if (n && triple[0].corrected) self.count.textContent += " " + self.say("corrected", undefined, { q: triple[0].corrected });
        self.empty.hidden = n > 0;
        self.more.hidden = n <= self.shown;
        if (self.pages) self.pages.hidden = true;
        self.root.removeAttribute("aria-busy");
        self.root.setAttribute("data-query", v.q);
        self.root.setAttribute("data-state", "done");
        mark("portal-directory-results");
      })
      .catch(function (error) {
        if (mine !== self.seq) return;
        self.root.removeAttribute("aria-busy");
        self.root.setAttribute("data-state", "error");
        if (window.console) console.warn("Direktori: pencarian tidak dapat dimuat; daftar biasa tetap tersedia.", error);
      });
  };

  /* Beside each option, how many partners it would show with the other choices kept (Pagefind's counts);
     an option that would show nothing cannot be chosen. A facet already chosen keeps its options open, so
     the reader can switch. With nothing chosen, the counts are those the page was built with. */
  Directory.prototype.showCounts = function (v, counts) {
    var self = this;
    FACETS.forEach(function (name) {
      var options = self.form.elements[name].options;
      for (var i = 0; i < options.length; i++) {
        var option = options[i];
        if (!option.value) continue;
        var key = name === "side" ? option.getAttribute("data-pattern") + "/" + option.value : option.value;
        var text, count = null;
        if (!counts && !self.hits) {
          text = option.getAttribute("data-static");  // the list as built: the counts it was built with
        } else if (!counts || v[name]) {
          text = self.labels[name + "=" + option.value];  // no count known, or a facet already chosen
        } else {
          count = (counts[name] || {})[key] || 0;
          text = self.labels[name + "=" + option.value] + " (" + count + ")";
        }
        if (option.textContent !== text) option.textContent = text;
        option.disabled = count === 0 && option.value !== v[name];
        if (name === "side") option.hidden = !!(v.pattern && option.getAttribute("data-pattern") !== v.pattern);
      }
    });
  };
  /* Without words the list is in name order: the first choice of the order says so (with words it is "the
     best matches first"), and "by name" is offered only where it changes something. */
  Directory.prototype.showSort = function (v) {
    var sort = this.form.elements.sort;
    var first = sort.options[0], byName = sort.querySelector('option[value="name"]');
    var text = first.getAttribute(v.q ? "data-text-words" : "data-text-plain");
    if (text && first.textContent !== text) first.textContent = text;
    if (byName) byName.hidden = byName.disabled = !v.q && v.sort !== "name";
  };

  Directory.prototype.showChips = function (v) {
    if (!this.chips) return;
    var self = this;
    var fragment = document.createDocumentFragment();
    var active = 0;
    FILTERS.forEach(function (name) {
      if (!v[name]) return;
      var label;
      if (name === "q") {
        label = self.chips.getAttribute("data-text-query").replace("{q}", v.q);
      } else {
        active++;
        var field = self.form.elements[name];
        var fieldLabel = self.form.querySelector('label[for="' + field.id + '"]').textContent;
        label = fieldLabel + ": " + self.labels[name + "=" + v[name]];
      }
      var li = el("li");
      var chip = el("button", "portal-chip", label);
      chip.type = "button";
      chip.setAttribute("data-name", name);
      chip.setAttribute("aria-label", self.chips.getAttribute("data-text-remove").replace("{label}", label));
      chip.appendChild(el("span", "portal-chip__x", "\u00d7")).setAttribute("aria-hidden", "true");
      li.appendChild(chip);
      fragment.appendChild(li);
    });
    this.chips.replaceChildren(fragment);
    this.chips.hidden = !this.chips.firstChild;
    // "Clear filters" only when there is something to clear.
    var reset = this.form.querySelector("button[type=reset]");
    if (reset) reset.hidden = !this.chips.firstChild;
    if (this.toggle) this.toggle.querySelector(".portal-filters__active").textContent = active ? " (" + active + ")" : "";
  };

  /* A partner's card from its search result, as the built page draws it; with words typed, the words
     around the match are shown under the summary. */
  Directory.prototype.card = function (data, withExcerpt) {
    var meta = data.meta || {};
    var name = meta.title || "";
    var li = el("li", "portal-card");
    var slug = (data.url || "").replace(/\/$/, "").split("/").pop();
    li.setAttribute("data-slug", slug);
    if (meta.image) {
      var img = el("img", "portal-logo");
      img.src = new URL(meta.image, siteBase(this.base)).href;
      img.alt = "";
      img.width = 56;
      img.height = 56;
      img.loading = "lazy";
      li.appendChild(img);
    } else {
      var badge = el("span", "portal-logo portal-logo--initials portal-logo--" + (meta.pattern || ""), initials(name));
      badge.setAttribute("aria-hidden", "true");
      li.appendChild(badge);
    }
    var body = el("div", "portal-card__body");
    var heading = el("h2", "portal-card__name");
    var link = el("a", null, name);
    link.href = data.url;
    if (this.target) { link.target = this.target; link.rel = "noopener"; }
    heading.appendChild(link);
    body.appendChild(heading);
    var summary = el("p", "portal-card__summary", meta.summary || "");
    if (meta.summary_lang) summary.setAttribute("lang", meta.summary_lang);  // Indonesian text on an English page
    body.appendChild(summary);
    // With words typed, the words around the match, when they are not already in the summary above.
    var lead = parseInt(meta.lead, 10) || 0;
    var inLead = (data.locations || []).some(function (n) { return n < lead; });
    var more = withExcerpt && !inLead ? ownExcerpt(data, lead) : null;
    if (more) {
      var excerpt = el("p", "portal-card__excerpt");
      excerpt.appendChild(more);
      body.appendChild(excerpt);
    }
    var tags = el("p", "portal-card__meta");
    tags.appendChild(el("span", "portal-tag portal-tag--pattern", meta.tags || ""));
    tags.appendChild(el("span", "portal-tag", meta.province || ""));
    tags.appendChild(el("span", "portal-tag portal-tag--stage", meta.stage || ""));
    body.appendChild(tags);
    li.appendChild(body);
    return li;
  };

  /* The join form without a server: compose an e-mail with the applicant's answers, one labelled line each. */
  function initMailForm() {
    var form = document.querySelector("form.portal-mailform");
    if (!form || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "true");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.reportValidity()) return;
      var lines = [];
      Array.prototype.forEach.call(form.querySelectorAll("input, select, textarea"), function (field) {
        var label = form.querySelector('label[for="' + field.id + '"]');
        var value = field.tagName === "SELECT" ? (field.value ? field.options[field.selectedIndex].text : "") : field.value.trim();
        var name = label ? label.textContent.replace(/\s*\*\s*$/, "") : field.name;  // without the required mark
        lines.push(name + ":\n" + (value || "-") + "\n");
      });
      var name = form.elements.nama.value.trim();
      var href = "mailto:" + form.getAttribute("data-to") +
        "?subject=" + encodeURIComponent(form.getAttribute("data-subject") + ": " + name) +
        "&body=" + encodeURIComponent(lines.join("\n"));
      form.setAttribute("data-mailto", href);
      window.location.href = href;
    });
  }

  /* The embed code builder: the chosen filters become the address of embed/ inside an <iframe> snippet. */
  function initEmbedBuilder() {
    var form = document.querySelector("form.portal-embed-builder");
    if (!form || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "true");
    var preview = document.querySelector(".portal-embed-preview");
    function update() {
      var url = new URL(form.getAttribute("data-embed"), window.location.href);
      ["pattern", "side", "sector", "province", "stage"].forEach(function (name) {
        var value = form.elements[name].value;
        if (value) url.searchParams.set(name, value);
      });
      if (form.elements.controls.value === "0") url.searchParams.set("controls", "0");
      var height = parseInt(form.elements.height.value, 10) || 800;
      var code = '<iframe src="' + url.href.replace(/&/g, "&amp;").replace(/"/g, "&quot;") +
        '" title="' + form.elements.code.getAttribute("data-title").replace(/&/g, "&amp;").replace(/"/g, "&quot;") +
        '" height="' + height + '" style="width:100%;border:0" loading="lazy"></iframe>';
      form.elements.code.value = code;
      if (preview) { preview.src = url.href; preview.height = String(height); }
    }
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.elements.code.addEventListener("focus", function () { this.select(); });
    update();
  }

  /* The printed profile's QR code of its address, drawn here rather than at build time (it cost a quarter of
     the build at 10,000 profiles): the vendored qrcode-generator is fetched once the profile has loaded
     (12 KB, only on profiles), and the code is drawn as one SVG path into the print-only box, ready before a
     reader prints. The address comes from the page's own attribute; nothing is written as HTML. */
  var SCRIPT = document.currentScript ? document.currentScript.src : "";
  var qrLoading = null;
  function loadQr() {
    if (!qrLoading) {
      qrLoading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = new URL("vendor/qrcode-generator/qrcode.js", SCRIPT || document.baseURI).href;
        tag.onload = function () { typeof window.qrcode === "function" ? resolve(window.qrcode) : reject(new Error("no qrcode")); };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
      qrLoading.catch(function () { qrLoading = null; });
    }
    return qrLoading;
  }
  function drawQr(box, make) {
    if (box.querySelector("svg")) return;
    var code = make(0, "M");  // the smallest version that holds the address; error correction M survives a crease
    code.addData(box.getAttribute("data-qr"));
    code.make();
    var n = code.getModuleCount(), border = 2, d = [];
    for (var y = 0; y < n; y++) {
      for (var x = 0; x < n; x++) if (code.isDark(y, x)) d.push("M" + (x + border) + " " + (y + border) + "h1v1h-1z");
    }
    var ns = "http://www.w3.org/2000/svg", size = n + 2 * border;
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "portal-qr");
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);
    svg.setAttribute("aria-hidden", "true");
    var back = document.createElementNS(ns, "rect");
    back.setAttribute("width", String(size));
    back.setAttribute("height", String(size));
    back.setAttribute("fill", "#fff");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", d.join(""));
    path.setAttribute("fill", "#000");
    svg.appendChild(back);
    svg.appendChild(path);
    box.insertBefore(svg, box.firstChild);
    box.setAttribute("data-ready", "true");
  }
  function initQr() {
    var box = document.querySelector(".portal-printout[data-qr]");
    if (!box || box.getAttribute("data-ready")) return null;
    var drawn = loadQr().then(function (make) { drawQr(box, make); });
    window.addEventListener("beforeprint", function () { if (window.qrcode) drawQr(box, window.qrcode); });
    return drawn;
  }

  /* A profile's "print" button: shown only where a script can open the print dialog; it prints once the QR
     code is drawn (or could not be). */
  function initPrint() {
    var drawn = initQr();
    Array.prototype.forEach.call(document.querySelectorAll("button.portal-print"), function (button) {
      if (button.getAttribute("data-ready")) return;
      button.setAttribute("data-ready", "true");
      button.hidden = typeof window.print !== "function";
      button.addEventListener("click", function () {
        Promise.resolve(drawn).catch(function () {}).then(function () { window.print(); });
      });
    });
  }

  /* The news (kabar/): choosing a pattern or province loads every activity (api/activities.json) and shows
     those that match, in place of the page's twenty; with no choice the page and its pager stay as built. */
  function initNews() {
    var root = document.querySelector(".portal-news");
    if (!root || root.getAttribute("data-ready") || !window.fetch || !window.URLSearchParams) return;
    root.setAttribute("data-ready", "loading");
    var form = root.querySelector(".portal-news__filters");
    var list = root.querySelector(".portal-news__list:not(.portal-news__list--agenda)");  // the news, not the agenda
    var count = root.querySelector(".portal-count");
    var empty = root.querySelector(".portal-empty");
    var pages = root.querySelector(".portal-pages");
    var base = root.getAttribute("data-base") || "";
    var original = list ? Array.prototype.slice.call(list.children) : [];
    var originalCount = count.textContent;
    var data = null;
    function say(key, n, values) {
      var text = root.getAttribute("data-text-" + key + (n === 1 ? "-one" : "-other")) || "";
      return text.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? String(values[name]) : all; });
    }
    function item(row) {
      var li = el("li", "portal-news__item");
      li.appendChild(el("p", "portal-news__date", row.date || ""));
      var title = el("h2", "portal-news__title", row.title);
      title.setAttribute("lang", "id");
      li.appendChild(title);
      var partner = el("p", "portal-news__partner");
      var link = el("a", null, row.name);
      link.href = base + row.url;
      partner.appendChild(link);
      partner.appendChild(document.createTextNode(" · " + (data.patterns[row.pattern] || row.pattern) + " · " + row.province));
      li.appendChild(partner);
      if (row.summary) {
        var summary = el("p", "portal-news__summary", row.summary);
        summary.setAttribute("lang", "id");
        li.appendChild(summary);
      }
      return li;
    }
    function apply() {
      var pattern = form.elements.pattern.value, province = form.elements.province.value;
      if (!pattern && !province) {
        if (list) list.replaceChildren.apply(list, original);
        count.textContent = originalCount;
        empty.hidden = true;
        if (pages) pages.hidden = false;
        return;
      }
      var hits = data.rows.filter(function (r) { return (!pattern || r.pattern === pattern) && (!province || r.province === province); });
      var fragment = document.createDocumentFragment();
      hits.forEach(function (r) { fragment.appendChild(item(r)); });
      if (list) list.replaceChildren(fragment);
      count.textContent = say("filtered", hits.length, { hits: hits.length, total: data.rows.length });
      empty.hidden = hits.length > 0;
      if (pages) pages.hidden = true;
    }
    function readURL() {
      var params = new URLSearchParams(window.location.search);
      ["pattern", "province"].forEach(function (name) {
        form.elements[name].value = optionFor(form.elements[name], params.get(name) || "");
      });
    }
    // Every activity (api/activities.json) is fetched only when a reader filters: it grows with the partners.
    var loading = null;
    function load() {
      if (!loading) {
        loading = fetch(root.getAttribute("data-src"), { credentials: "same-origin" })
          .then(function (response) { if (!response.ok) throw new Error("HTTP " + response.status); return response.json(); })
          .then(function (json) {
            var f = {};
            json.fields.forEach(function (name, i) { f[name] = i; });
            data = { patterns: json.patterns, rows: json.rows.map(function (r) {
              return { date: r[f.date], title: r[f.title], summary: r[f.summary], slug: r[f.slug], name: r[f.name], url: r[f.url], pattern: r[f.pattern], province: r[f.province] };
            }) };
          });
        loading.catch(function () { loading = null; });
      }
      return loading;
    }
    function show() {
      var chosen = form.elements.pattern.value || form.elements.province.value;
      if (!chosen) { apply(); root.setAttribute("data-ready", "true"); return; }
      root.setAttribute("data-ready", "loading");
      load().then(function () { apply(); root.setAttribute("data-ready", "true"); })
        .catch(function () { root.setAttribute("data-ready", "error"); });
    }
    form.hidden = false;
    form.addEventListener("change", function () {
      var params = new URLSearchParams();
      ["pattern", "province"].forEach(function (name) { if (form.elements[name].value) params.set(name, form.elements[name].value); });
      var query = params.toString();
      window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : ""));
      show();
    });
    readURL();
    show();
  }

  var current = null;
  // The search as every box runs it, for the query-set test and the benchmark.
  window.portalSearch = { load: loadPagefind, find: find };

  function init() {
    initPrint();
    initNews();
    initMailForm();
    initEmbedBuilder();
    initHeaderSearch();
    initHomeSearch();
    var root = document.querySelector(".portal-directory");
    if (current && current.onPop) window.removeEventListener("popstate", current.onPop);
    current = null;
    if (!root || !window.URLSearchParams || !window.Promise) return;
    current = new Directory(root);
    // Ready once the list shows what the address asks for (the built list, or the search's answer).
    current.setup().then(function () {
      root.setAttribute("data-ready", root.getAttribute("data-state") === "error" ? "error" : "true");
      mark("portal-directory-ready");
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
