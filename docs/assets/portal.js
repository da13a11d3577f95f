/* The partner directory: loads api/directory.json, filters in the browser, keeps the filters in the address.
   Without JavaScript the server-rendered, paginated list stays as it is. Partner values are only ever set
   with textContent or as attribute values, never as HTML. */
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

  function initials(name) {
    var words = name.split(/\s+/).filter(Boolean);
    return ((words[0] || "").charAt(0) + (words[1] || "").charAt(0)).toUpperCase();
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
    this.target = root.getAttribute("data-link-target") || "";
    this.shown = this.pageSize;
    this.labels = {};
  }

  /* The page's words, from the site's message catalog (data-text-* on the directory): "{total} mitra." and
     the like, with the singular or plural form chosen by the number. */
  Directory.prototype.say = function (key, n, values) {
    var text = this.root.getAttribute("data-text-" + key + (n === 1 ? "-one" : "-other")) || "";
    return text.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? String(values[name]) : all; });
  };

  function mark(name) {
    if (window.performance && performance.mark) performance.mark(name);  // read by scripts/bench.py
  }

  Directory.prototype.load = function () {
    var self = this;
    mark("portal-directory-init");
    return fetch(this.root.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { mark("portal-directory-data"); self.setup(data); });
  };

  Directory.prototype.setup = function (data) {
    var f = {};
    data.fields.forEach(function (name, i) { f[name] = i; });
    this.meta = data;
    this.rows = data.rows.map(function (r) {
      return {
        slug: r[f.slug], name: r[f.name], summary: r[f.summary], summaryLang: r[f.summary_lang], pattern: r[f.pattern], side: r[f.side],
        province: r[f.province], city: r[f.city] || "", stage: r[f.stage], sectors: r[f.sectors] || [],
        logo: r[f.logo], since: r[f.since] || "",
        text: fold([r[f.name], r[f.summary], r[f.city], r[f.province], (r[f.sectors] || []).join(" ")].join(" "))
      };
    });
    var self = this;
    Array.prototype.forEach.call(this.form.querySelectorAll("option"), function (option) {
      self.labels[option.parentNode.name + "=" + option.value] = option.textContent;
    });
    if (this.pages) this.pages.hidden = true;
    this.form.addEventListener("change", function (event) {
      // A side belongs to one pattern: choosing another pattern drops a side that is not one of its own.
      var side = self.form.elements.side;
      if (event.target.name === "pattern" && side.value) {
        var chosen = side.options[side.selectedIndex];
        if (event.target.value && chosen.getAttribute("data-pattern") !== event.target.value) side.value = "";
      }
      self.shown = self.pageSize;
      self.update(true);
    });
    // Typing updates the list at once and the address after a pause: the first pause of a burst of
    // typing adds a history entry (so Back undoes the search), later ones replace it.
    var timer = null;
    var typing = false;
    this.form.addEventListener("change", function () { typing = false; });
    this.form.querySelector("[name=q]").addEventListener("input", function () {
      self.shown = self.pageSize;
      self.apply();
      clearTimeout(timer);
      timer = setTimeout(function () { self.writeURL(!typing); typing = true; }, 400);
    });
    this.form.addEventListener("submit", function (event) { event.preventDefault(); });
    this.form.addEventListener("reset", function () {
      setTimeout(function () {
        self.shown = self.pageSize;
        self.update(true);
        self.form.elements.q.focus();  // the button has gone with the filters: the reader goes on from the search box
      }, 0);
    });
    this.more.addEventListener("click", function () { self.shown += self.pageSize; self.apply(); });
    // On a phone the filters wait behind one button, so the first partner is on the first screen.
    if (this.toggle) this.toggle.addEventListener("click", function () {
      var open = self.toggle.getAttribute("aria-expanded") !== "true";
      self.toggle.setAttribute("aria-expanded", String(open));
      self.form.classList.toggle("is-open", open);
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
    this.onPop = function () { self.readURL(); self.apply(); };
    window.addEventListener("popstate", this.onPop);
    this.readURL();
    this.apply();
    this.root.setAttribute("data-ready", "true");
    mark("portal-directory-ready");
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
      if (field.tagName === "SELECT" && !field.querySelector('option[value="' + CSS.escape(value) + '"]')) value = "";
      field.value = value;
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

  /* Which filters a row fails, as a count and the last one failed: one pass over the rows serves both
     the list (rows failing nothing) and the counts beside each option (rows failing only that facet). */
  function failures(row, v) {
    var count = 0, which = "";
    if (v.pattern && row.pattern !== v.pattern) { count++; which = "pattern"; }
    if (v.side && row.side !== v.side) { count++; which = "side"; }
    if (v.province && row.province !== v.province) { count++; which = "province"; }
    if (v.stage && row.stage !== v.stage) { count++; which = "stage"; }
    if (v.sector && row.sectors.indexOf(v.sector) < 0) { count++; which = "sector"; }
    for (var i = 0; i < v.words.length; i++) {
      if (row.text.indexOf(v.words[i]) < 0) { count += 2; which = "q"; break; }
    }
    return count === 1 ? which : count === 0 ? "" : null;
  }

  function tally(counts, name, row) {
    var keys = name === "sector" ? row.sectors : [row[name]];
    var bucket = counts[name];
    for (var i = 0; i < keys.length; i++) bucket[keys[i]] = (bucket[keys[i]] || 0) + 1;
  }

  Directory.prototype.apply = function () {
    var v = this.values();
    v.words = fold(v.q).split(/\s+/).filter(Boolean);
    var hits = [];
    var counts = { pattern: {}, side: {}, sector: {}, province: {}, stage: {} };
    for (var r = 0; r < this.rows.length; r++) {
      var row = this.rows[r];
      var failed = failures(row, v);
      if (failed === "") {
        hits.push(row);
        for (var f = 0; f < FACETS.length; f++) tally(counts, FACETS[f], row);
      } else if (failed && failed !== "q") {
        tally(counts, failed, row);
      }
    }
    this.showCounts(v, counts);
    this.showChips(v);
    this.render(this.sorted(hits, v.sort));
    var total = this.rows.length;
    var filtered = FILTERS.some(function (name) { return v[name]; });
    this.count.textContent = filtered ? this.say("filtered", hits.length, { hits: hits.length, total: total }) : this.say("all", total, { total: total });
    this.empty.hidden = hits.length > 0;
    this.more.hidden = hits.length <= this.shown;
  };

  Directory.prototype.showCounts = function (v, counts) {
    var self = this;
    FACETS.forEach(function (name) {
      var options = self.form.elements[name].options;
      for (var i = 0; i < options.length; i++) {
        var option = options[i];
        if (!option.value) continue;
        var count = counts[name][option.value] || 0;
        var text = self.labels[name + "=" + option.value] + " (" + count + ")";
        if (option.textContent !== text) option.textContent = text;
        // An option that would show nothing cannot be chosen (the current choice stays, to be undone).
        // Patterns stay open while a side is chosen: choosing another pattern drops that side.
        option.disabled = count === 0 && option.value !== v[name] && !(name === "pattern" && v.side);
        if (name === "side") option.hidden = !!(v.pattern && option.getAttribute("data-pattern") !== v.pattern);
      }
    });
  };

  /* Name order by the page's language; newest by the date of joining (undated last); province, then name. */
  Directory.prototype.sorted = function (hits, how) {
    var lang = document.documentElement.lang || "id";
    var collator = window.Intl && Intl.Collator ? new Intl.Collator(lang, { sensitivity: "base", numeric: true }) : null;
    function byName(a, b) { return collator ? collator.compare(a.name, b.name) : (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); }
    var order = hits.slice();
    if (how === "newest") order.sort(function (a, b) { return a.since === b.since ? byName(a, b) : (a.since < b.since ? 1 : -1); });
    else if (how === "province") order.sort(function (a, b) { return a.province === b.province ? byName(a, b) : (collator ? collator.compare(a.province, b.province) : (a.province < b.province ? -1 : 1)); });
    else order.sort(byName);
    return order;
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

  Directory.prototype.card = function (row) {
    var meta = this.meta;
    var li = el("li", "portal-card");
    li.setAttribute("data-slug", row.slug);
    if (row.logo) {
      var img = el("img", "portal-logo");
      img.src = this.base + row.logo;
      img.alt = "";
      img.width = 56;
      img.height = 56;
      img.loading = "lazy";
      li.appendChild(img);
    } else {
      var badge = el("span", "portal-logo portal-logo--initials portal-logo--" + row.pattern, initials(row.name));
      badge.setAttribute("aria-hidden", "true");
      li.appendChild(badge);
    }
    var body = el("div", "portal-card__body");
    var heading = el("h2", "portal-card__name");
    var link = el("a", null, row.name);
    link.href = this.base + "partners/" + encodeURIComponent(row.slug) + "/";
    if (this.target) link.target = this.target;
    heading.appendChild(link);
    body.appendChild(heading);
    var summary = el("p", "portal-card__summary", row.summary);
    if (row.summaryLang) summary.setAttribute("lang", row.summaryLang);  // Indonesian text on an English page
    body.appendChild(summary);
    var tags = el("p", "portal-card__meta");
    tags.appendChild(el("span", "portal-tag portal-tag--pattern", (meta.patterns[row.pattern] || row.pattern) + " · " + (meta.sides[row.side] || row.side)));
    tags.appendChild(el("span", "portal-tag", row.province));
    tags.appendChild(el("span", "portal-tag portal-tag--stage", meta.stages[row.stage] || row.stage));
    body.appendChild(tags);
    li.appendChild(body);
    return li;
  };

  Directory.prototype.render = function (hits) {
    var fragment = document.createDocumentFragment();
    var end = Math.min(hits.length, this.shown);
    for (var i = 0; i < end; i++) fragment.appendChild(this.card(hits[i]));
    this.list.replaceChildren(fragment);
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

  /* A profile's "print" button: shown only where a script can open the print dialog. */
  function initPrint() {
    Array.prototype.forEach.call(document.querySelectorAll("button.portal-print"), function (button) {
      if (button.getAttribute("data-ready")) return;
      button.setAttribute("data-ready", "true");
      button.hidden = typeof window.print !== "function";
      button.addEventListener("click", function () { window.print(); });
    });
  }

  /* The news (kabar/): choosing a pattern or province loads every activity (api/activities.json) and shows
     those that match, in place of the page's twenty; with no choice the page and its pager stay as built. */
  function initNews() {
    var root = document.querySelector(".portal-news");
    if (!root || root.getAttribute("data-ready") || !window.fetch || !window.URLSearchParams) return;
    root.setAttribute("data-ready", "loading");
    var form = root.querySelector(".portal-news__filters");
    var list = root.querySelector(".portal-news__list");
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
        var field = form.elements[name], value = params.get(name) || "";
        field.value = field.querySelector('option[value="' + CSS.escape(value) + '"]') ? value : "";
      });
    }
    fetch(root.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error("HTTP " + response.status); return response.json(); })
      .then(function (json) {
        var f = {};
        json.fields.forEach(function (name, i) { f[name] = i; });
        data = { patterns: json.patterns, rows: json.rows.map(function (r) {
          return { date: r[f.date], title: r[f.title], summary: r[f.summary], slug: r[f.slug], name: r[f.name], url: r[f.url], pattern: r[f.pattern], province: r[f.province] };
        }) };
        form.hidden = false;
        form.addEventListener("change", function () {
          var params = new URLSearchParams();
          ["pattern", "province"].forEach(function (name) { if (form.elements[name].value) params.set(name, form.elements[name].value); });
          var query = params.toString();
          window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : ""));
          apply();
        });
        readURL();
        apply();
        root.setAttribute("data-ready", "true");
      })
      .catch(function () { root.setAttribute("data-ready", "error"); });
  }

  var current = null;

  function init() {
    initPrint();
    initNews();
    initMailForm();
    initEmbedBuilder();
    var root = document.querySelector(".portal-directory");
    if (current && current.onPop) window.removeEventListener("popstate", current.onPop);
    current = null;
    if (!root || !window.fetch || !window.URLSearchParams) return;
    current = new Directory(root);
    current.load().catch(function (error) {
      root.setAttribute("data-ready", "error");
      if (window.console) console.warn("Direktori: data tidak dapat dimuat; daftar biasa tetap tersedia.", error);
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
