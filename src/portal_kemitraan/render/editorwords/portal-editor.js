/* The staff's web editor (Decap CMS) in the staff's language and with the portal's rules: the Indonesian words
   (English when the browser asks for it), only partner files in the list of partners (the reference files
   beside them are not partners), a side that belongs to the pattern chosen, and a sign-in with a GitHub
   token, which needs no server of the organisation's own. Everything comes from portal-editor.json, made
   with the site from the data. */
(function () {
  "use strict";
  var here = new URL("./", document.currentScript.src);
  var USER = "decap-cms-user";  // where Decap keeps who is signed in (localStorage)

  function keepPartners(entries, skip) {
    var kept = entries.filter(function (entry) {
      var path = (entry.file && entry.file.path) || entry.path || "";
      return skip.indexOf(path) < 0;
    });
    Object.getOwnPropertySymbols(entries).forEach(function (symbol) { kept[symbol] = entries[symbol]; });  // the list's cursor
    return kept;
  }

  /* The backend as Decap has it, with the reference files left out of every folder listing. */
  function wrap(CMS, name, skip) {
    var base = CMS.getBackend(name);
    CMS.registerBackend("portal-" + name, function (config, options) {
      var implementation = base.init(config, options);
      ["entriesByFolder", "allEntriesByFolder", "traverseCursor"].forEach(function (method) {
        var original = implementation[method];
        if (typeof original !== "function") return;
        implementation[method] = function () {
          return Promise.resolve(original.apply(implementation, arguments)).then(function (result) {
            if (Array.isArray(result)) return keepPartners(result, skip);
            return Object.assign({}, result, { entries: keepPartners(result.entries || [], skip) });  // a further page
          });
        };
      });
      return implementation;
    });
  }

  function filled(value) {
    if (value === undefined || value === null || value === "" || value === false) return false;  // false: a box left unticked
    if (value && typeof value.some === "function" && typeof value.size === "number") return value.some(filled);  // a group or a list
    return true;
  }

  /* The rules `validate` has that a form field alone cannot say: the side is one of the chosen pattern's two
     sides; a group of fields filled in has the fields it needs. A save that breaks one is refused, saying why. */
  function check(portal, lang) {
    var words = function (key) { return portal.words[key][lang] || portal.words[key].id; };
    return function (event) {
      var data = event.entry.get("data");
      var pattern = data.get("pattern"), side = data.get("side");
      var sides = portal.sides[pattern];
      if (sides && side && sides.indexOf(side) < 0) {
        throw words("side").replace("{side}", side).replace("{sides}", sides.join(", "));  // shown as it is
      }
      // The deepest groups first: a contact whose only group, its person, is empty is empty too.
      Object.keys(portal.groups).sort(function (a, b) { return b.split(".").length - a.split(".").length; }).forEach(function (path) {
        var group = data.getIn(path.split(".")), rule = portal.groups[path];
        if (!filled(group)) { data = data.deleteIn(path.split(".")); return; }  // left empty: not written
        var missing = Object.keys(rule.fields).filter(function (name) { return !filled(group.get(name)); });
        if (missing.length) {
          throw words("group").replace("{group}", rule.label).replace("{fields}", missing.map(function (n) { return rule.fields[n]; }).join(", "));
        }
      });
      return data;
    };
  }

  function language() {
    var asked = (navigator.languages || [navigator.language || ""]).map(function (l) { return String(l).slice(0, 2).toLowerCase(); });
    for (var i = 0; i < asked.length; i++) if (asked[i] === "id" || asked[i] === "en") return asked[i];
    return "id";
  }

  /* GitHub without an OAuth server: the staff member's own fine-grained token, kept in this browser only.
     The box speaks the browser's language too (data-en holds its English words). */
  function tokenSignIn(portal, lang, start) {
    var box = document.getElementById("portal-signin");
    if (!box || portal.config.backend.name !== "github" || localStorage.getItem(USER)) return start();
    if (lang === "en") {
      document.documentElement.lang = "en";
      Array.prototype.forEach.call(box.querySelectorAll("[data-en]"), function (node) { node.textContent = node.getAttribute("data-en"); });
    }
    box.hidden = false;
    box.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      var token = box.querySelector("input").value.trim();
      if (!/^(github_pat_|ghp_)[A-Za-z0-9_]{20,}$/.test(token)) {
        box.querySelector(".portal-signin__error").hidden = false;
        return;
      }
      localStorage.setItem(USER, JSON.stringify({ token: token, backendName: "portal-github" }));
      box.hidden = true;
      start();
    });
  }

  /* Decap's list of entries has its landmarks; its entry form has none: there the app is the page's main
     content. A measuring canvas Decap leaves in the page is hidden from assistive technology, and the
     marker inside its list of entries is no item. */
  function landmarks() {
    var queued = false;
    function mark() {
      queued = false;
      var root = document.getElementById("nc-root");
      if (root) {
        var own = root.querySelector("main, [role=main]:not(#nc-root), header, [role=banner]");
        if (own && root.getAttribute("role") === "main") root.removeAttribute("role");
        else if (!own && root.getAttribute("role") !== "main") root.setAttribute("role", "main");
      }
      Array.prototype.forEach.call(document.querySelectorAll("body > canvas:not([aria-hidden])"), function (canvas) {
        canvas.setAttribute("aria-hidden", "true");
      });
      // A list's items can be dragged into another order: each says what it is.
      Array.prototype.forEach.call(document.querySelectorAll("[aria-roledescription=sortable]:not([aria-label])"), function (item) {
        item.setAttribute("aria-label", (item.textContent || "").replace(/\s+/g, " ").trim().slice(0, 80) || "—");
      });
      // The list of entries holds an empty marker (infinite scrolling) beside its items: a list of items still.
      Array.prototype.forEach.call(document.querySelectorAll("ul[class*=CardsGrid] > :not(li):not([role=none])"), function (marker) {
        marker.setAttribute("role", "none");
        marker.parentNode.setAttribute("role", "list");
      });
    }
    new MutationObserver(function () {
      if (!queued) { queued = true; requestAnimationFrame(mark); }
    }).observe(document.body, { childList: true, subtree: true });
  }

  fetch(new URL("portal-editor.json", here), { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (portal) {
      var CMS = window.CMS;
      CMS.registerLocale("id", portal.locale);
      ["github", "gitlab", "gitea", "test-repo"].forEach(function (name) { wrap(CMS, name, portal.reference_files); });
      var lang = language();
      CMS.registerEventListener({ name: "preSave", handler: check(portal, lang) });
      var config = Object.assign({}, portal.config, { locale: lang, load_config_file: false });
      config.backend = Object.assign({}, config.backend, { name: "portal-" + config.backend.name });
      landmarks();
      tokenSignIn(portal, lang, function () { CMS.init({ config: config }); });
    });
})();
