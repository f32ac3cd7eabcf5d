(function () {
  "use strict";
  // Draws every register and the findings from the data island (#report-data), a page
  // at a time, and honours deep links (#threat-ID, #control-ID,
  // #verification-ID) and register links (#register?stride=...&sort=id).
  // Reads the data island `id` and calls `done` with its data: at once when
  // it is plain JSON; when the model is large it is a JSON string of the
  // JSON deflated and base64-encoded, inflated by the browser (no network)
  // after the first screen is drawn.
  function readIsland(id, done) {
    var text = document.getElementById(id).textContent;
    if (text.charAt(0) !== "\"") {
      done(JSON.parse(text));
      return;
    }
    // Large: read once the page has loaded and painted its first screen.
    if (document.readyState === "complete") {
      setTimeout(function () { inflate(text, done); }, 0);
    } else {
      window.addEventListener("load", function () {
        setTimeout(function () { inflate(text, done); }, 0);
      });
    }
  }
  function inflate(text, done) {
    var b64 = text.slice(1, -1);
    var bytes;
    if (Uint8Array.fromBase64) {
      bytes = Uint8Array.fromBase64(b64);
    } else {
      var bin = atob(b64);
      bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i += 1) {
        bytes[i] = bin.charCodeAt(i);
      }
    }
    var inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    new Response(inflated).text().then(function (json) { done(JSON.parse(json)); });
  }
  if (!document.getElementById("report-data")) {
    return;
  }
  readIsland("report-data", run);

  function run(data) {
    var S = data.strings;
    var PAGE = 100;
    var note = document.getElementById("needs-script");
    if (note) {
      note.hidden = true;
    }

    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) {
        e.className = cls;
      }
      if (text !== undefined && text !== null) {
        e.textContent = text;
      }
      return e;
    }
    function isRisk(text) {
      return data.risk_levels.indexOf(text) !== -1;
    }

    // ---- names that links can point at --------------------------------------
    var register = data.tables.risk_register;
    var threatIds = {};
    register.rows.forEach(function (row, i) {
      threatIds[S[row[0]]] = i;
    });
    var controlRows = {};
    data.control_names.forEach(function (s, i) {
      controlRows[S[s]] = i;
    });
    var verifications = {};
    data.verification_names.forEach(function (s) {
      verifications[S[s]] = true;
    });
    function targetOf(name) {
      if (Object.prototype.hasOwnProperty.call(threatIds, name)) {
        return "threat-" + name;
      }
      if (Object.prototype.hasOwnProperty.call(controlRows, name)) {
        return "control-" + name;
      }
      if (Object.prototype.hasOwnProperty.call(verifications, name)) {
        return "verification-" + name;
      }
      return null;
    }
    function link(text, target) {
      var a = el("a", null, text);
      a.href = "#" + target;
      return a;
    }
    // A reference cell: each [label, url] of the island becomes a link out
    // (the URLs are Ward's own MITRE pages, set as properties, never markup).
    function referenceCell(parent, refs) {
      refs.forEach(function (ref, i) {
        var a = el("a", null, S[ref[0]]);
        a.href = S[ref[1]];
        a.rel = "noopener";
        parent.appendChild(a);
        if (i < refs.length - 1) {
          parent.appendChild(document.createTextNode(", "));
        }
      });
    }
    // A list cell ("a, b (x, y), c"): each known name becomes a link.
    function listCell(td, text) {
      var parts = text.split(", ");
      parts.forEach(function (part, i) {
        var name = part.split(" (")[0];
        var target = targetOf(name);
        if (target) {
          td.appendChild(link(name, target));
          td.appendChild(document.createTextNode(part.slice(name.length)));
        } else {
          td.appendChild(document.createTextNode(part));
        }
        if (i < parts.length - 1) {
          td.appendChild(document.createTextNode(", "));
        }
      });
    }
    // Message text with `code` spans; a span naming a threat or control links to it.
    function codeSpans(parent, text) {
      var bits = text.split("`");
      bits.forEach(function (bit, i) {
        if (i % 2 === 0 || i === bits.length - 1) {
          parent.appendChild(document.createTextNode(i % 2 === 0 ? bit : "`" + bit));
          return;
        }
        var code = el("code", null, bit);
        var target = targetOf(bit);
        if (target) {
          var a = el("a");
          a.href = "#" + target;
          a.appendChild(code);
          parent.appendChild(a);
        } else {
          parent.appendChild(code);
        }
      });
    }
    var LINKED = {
      risk_register: ["controls"],
      safety_transfer: ["threat", "controls", "verified_controls"],
      control_requirements: ["mitigates", "verifications"],
      traceability: ["threat", "control", "verification"]
    };

    // ---- one paginated table --------------------------------------------------
    function Pager(host) {
      var key = host.getAttribute("data-table");
      this.key = key;
      this.host = host;
      this.isRegister = key === "risk_register";
      this.isFindings = key === "findings";
      this.S = S;
      if (this.isFindings) {
        var own = findings;
        this.S = own.strings;
        this.columns = [["code", "Code"], ["severity", "Severity"], ["location", "Location"], ["finding", "Finding"]];
        this.rows = own.findings;
      } else {
        this.columns = data.tables[key].columns;
        this.rows = data.tables[key].rows;
        this.links = data.tables[key].links || {};
      }
      this.col = {};
      for (var c = 0; c < this.columns.length; c += 1) {
        this.col[this.columns[c][0]] = c;
      }
      this.shown = this.isRegister ? data.key_columns.map(function (k) { return this.col[k]; }, this)
        : this.columns.map(function (_, i) { return i; });
      this.state = { q: "", sort: "", dir: "", page: 0, stride: "", risk: "", component: "", hazard: "", status: "" };
      this.open = {};
      this.all = false;
      this.build();
    }
    Pager.prototype.text = function (r, c) {
      if (this.isFindings) {
        var f = this.rows[r];
        return c === 2 ? (f[2] || "") : this.S[f[c]];
      }
      return this.S[this.rows[r][c]];
    };
    Pager.prototype.build = function () {
      var self = this;
      var bar = el("div", "controls");
      var search = el("input");
      search.type = "search";
      search.placeholder = "Search";
      search.setAttribute("aria-label", "Search the table");
      search.addEventListener("input", function () {
        self.state.q = search.value;
        self.state.page = 0;
        self.draw();
      });
      this.search = search;
      bar.appendChild(search);
      this.selects = {};
      if (this.isRegister) {
        var facets = [
          ["risk", "Residual risk", data.risk_levels],
          ["stride", "STRIDE", this.values("stride")],
          ["component", "Component", this.values("targets")],
          ["hazard", "Hazard", this.values("hazards")],
          ["status", "Status", data.statuses]
        ];
        facets.forEach(function (f) {
          var label = el("label", null, f[1] + " ");
          var select = el("select");
          select.setAttribute("data-filter", f[0]);
          select.appendChild(el("option", null, "all")).value = "";
          f[2].forEach(function (v) {
            select.appendChild(el("option", null, v)).value = v;
          });
          select.addEventListener("change", function () {
            self.state[f[0]] = select.value;
            self.state.page = 0;
            self.draw();
          });
          self.selects[f[0]] = select;
          label.appendChild(select);
          bar.appendChild(label);
        });
      }
      this.count = el("span", "muted count");
      bar.appendChild(this.count);
      this.host.appendChild(bar);
      var wrap = el("div", this.isRegister ? "register-wrap" : "table-wrap");
      this.table = el("table", this.isRegister ? "data register" : "data");
      if (this.isRegister) {
        this.table.id = "risk-register";
      }
      var head = el("tr");
      this.shown.forEach(function (c) {
        var th = el("th", "col-" + self.columns[c][0]);
        th.scope = "col";
        var b = el("button", "sort", self.columns[c][1]);
        b.type = "button";
        b.addEventListener("click", function () {
          var k = self.columns[c][0];
          self.state.dir = self.state.sort === k && self.state.dir !== "desc" ? "desc" : "asc";
          self.state.sort = k;
          self.draw();
        });
        th.appendChild(b);
        head.appendChild(th);
      });
      this.table.appendChild(el("thead")).appendChild(head);
      this.body = this.table.appendChild(el("tbody"));
      wrap.appendChild(this.table);
      this.host.appendChild(wrap);
      this.nav = el("div", "pages");
      this.host.appendChild(this.nav);
    };
    // Every value of a list column, sorted.
    Pager.prototype.values = function (key) {
      var seen = {};
      var c = this.col[key];
      for (var r = 0; r < this.rows.length; r += 1) {
        this.text(r, c).split(", ").forEach(function (v) {
          if (v && v !== "none" && v !== "n/a") {
            seen[v] = true;
          }
        });
      }
      return Object.keys(seen).sort();
    };
    Pager.prototype.has = function (r, key, want) {
      return this.text(r, this.col[key]).split(", ").indexOf(want) !== -1;
    };
    Pager.prototype.keep = function (r) {
      var s = this.state;
      if (this.isRegister) {
        if (s.risk && this.text(r, this.col[data.judged_column]) !== s.risk) { return false; }
        if (s.stride && !this.has(r, "stride", s.stride)) { return false; }
        if (s.component && !this.has(r, "targets", s.component)) { return false; }
        if (s.hazard && !this.has(r, "hazards", s.hazard)) { return false; }
        if (s.status && data.statuses[data.register_status[r]] !== s.status) { return false; }
      }
      if (s.q) {
        var q = s.q.toLowerCase();
        for (var c = 0; c < this.columns.length; c += 1) {
          if (this.text(r, c).toLowerCase().indexOf(q) !== -1) {
            return true;
          }
        }
        return false;
      }
      return true;
    };
    // The rows that pass the filters, in the chosen order.
    Pager.prototype.order = function () {
      var self = this;
      var base = this.isRegister ? data.register_order : this.rows.map(function (_, i) { return i; });
      var rows = base.filter(function (r) { return self.keep(r); });
      var s = this.state;
      if (s.sort && s.sort !== "risk" && this.col[s.sort] !== undefined) {
        var c = this.col[s.sort];
        var sign = s.dir === "desc" ? -1 : 1;
        var rank = function (t) {
          var i = data.risk_levels.indexOf(t);
          return i === -1 ? t : String.fromCharCode(48 + i);
        };
        rows = rows.map(function (r, i) { return [rank(self.text(r, c)), i, r]; });
        rows.sort(function (a, b) {
          return a[0] < b[0] ? -sign : a[0] > b[0] ? sign : a[1] - b[1];
        });
        rows = rows.map(function (x) { return x[2]; });
      } else if (s.sort === "risk" && s.dir === "asc") {
        rows.reverse();
      }
      return rows;
    };
    Pager.prototype.cell = function (tr, r, c) {
      var text = this.text(r, c);
      var key = this.columns[c][0];
      var td = el("td", "col-" + key);
      if (this.isFindings) {
        if (c === 0) {
          td.appendChild(el("code", null, text));
        } else if (c === 1) {
          td.className += " severity-" + text;
          td.textContent = text;
        } else if (c === 2) {
          td.appendChild(el("code", null, text));
        } else {
          var f = this.rows[r];
          codeSpans(td, text);
          if (f[4] !== null) {
            td.appendChild(el("br"));
            codeSpans(td.appendChild(el("span", "muted", "help: ")), this.S[f[4]]);
          }
          var own = this.S;
          f[5].forEach(function (n) {
            td.appendChild(el("br"));
            codeSpans(td.appendChild(el("span", "muted", "note: ")), own[n]);
          });
        }
        tr.appendChild(td);
        return;
      }
      if (text.slice(0, 4) === "GAP:") {
        td.className += " gap";
      } else if (isRisk(text)) {
        td.className += " risk-" + text;
      }
      if (this.isRegister && key === "id") {
        td.appendChild(link(text, "threat-" + text));
      } else if (this.links && this.links[key]) {
        referenceCell(td, this.links[key][r]);
      } else if ((LINKED[this.key] || []).indexOf(key) !== -1) {
        listCell(td, text);
      } else {
        td.textContent = text;
      }
      tr.appendChild(td);
    };
    Pager.prototype.row = function (r) {
      var self = this;
      var tr = el("tr");
      if (this.isRegister) {
        tr.id = "threat-" + this.text(r, 0);
        tr.setAttribute("data-status", data.statuses[data.register_status[r]]);
      } else if (this.key === "control_requirements") {
        tr.id = "control-" + S[data.control_names[r]];
      }
      this.shown.forEach(function (c) { self.cell(tr, r, c); });
      this.body.appendChild(tr);
      if (this.isRegister) {
        var more = el("button", "more", this.open[r] || this.all ? "Less" : "More");
        more.type = "button";
        more.setAttribute("aria-expanded", this.open[r] || this.all ? "true" : "false");
        more.addEventListener("click", function () {
          self.open[r] = !self.open[r];
          self.draw();
        });
        tr.firstChild.appendChild(el("br"));
        tr.firstChild.appendChild(more);
        if (this.open[r] || this.all) {
          this.details(r);
        }
      }
    };
    // The register row's other columns, as a second line.
    Pager.prototype.details = function (r) {
      var self = this;
      var tr = el("tr", "details");
      var td = el("td");
      td.colSpan = this.shown.length;
      var dl = el("dl", "details");
      this.columns.forEach(function (col, c) {
        if (self.shown.indexOf(c) !== -1) {
          return;
        }
        dl.appendChild(el("dt", null, col[1]));
        var dd = el("dd");
        var text = self.text(r, c);
        if (isRisk(text)) {
          dd.className = "risk-" + text;
        }
        if (self.links && self.links[col[0]]) {
          referenceCell(dd, self.links[col[0]][r]);
        } else {
          dd.textContent = text;
        }
        dl.appendChild(dd);
      });
      td.appendChild(dl);
      tr.appendChild(td);
      this.body.appendChild(tr);
    };
    Pager.prototype.draw = function () {
      var self = this;
      var rows = this.order();
      var pages = Math.max(1, Math.ceil(rows.length / PAGE));
      if (this.state.page >= pages) {
        this.state.page = pages - 1;
      }
      var first = this.all ? 0 : this.state.page * PAGE;
      var last = this.all ? rows.length : Math.min(rows.length, first + PAGE);
      this.body.textContent = "";
      for (var i = first; i < last; i += 1) {
        this.row(rows[i]);
      }
      this.table.setAttribute("data-rows", String(last - first));
      this.table.setAttribute("data-matching", String(rows.length));
      this.table.setAttribute("data-page", String(this.state.page + 1));
      this.count.textContent = rows.length + " of " + this.rows.length + " rows";
      this.nav.textContent = "";
      if (pages > 1 && !this.all) {
        var go = function (label, page) {
          var b = el("button", null, label);
          b.type = "button";
          b.disabled = page < 0 || page >= pages || page === self.state.page;
          b.addEventListener("click", function () {
            self.state.page = page;
            self.draw();
          });
          self.nav.appendChild(b);
        };
        go("First", 0);
        go("Previous", this.state.page - 1);
        this.nav.appendChild(el("span", "muted", " page " + (this.state.page + 1) + " of " + pages + " "));
        go("Next", this.state.page + 1);
        go("Last", pages - 1);
      }
      return rows;
    };
    // Shows row `r`, wherever filters and pages put it; returns its <tr>.
    Pager.prototype.reveal = function (r, target) {
      var pos = this.order().indexOf(r);
      if (pos === -1) {
        for (var k in this.selects) {
          this.selects[k].value = "";
          this.state[k] = "";
        }
        this.state.q = "";
        this.search.value = "";
        pos = this.order().indexOf(r);
      }
      this.state.page = Math.floor(pos / PAGE);
      this.draw();
      return document.getElementById(target);
    };

    var pagers = {};
    function start(host) {
      var p = new Pager(host);
      pagers[p.key] = p;
      p.draw();
    }
    var hosts = document.querySelectorAll(".pager[data-table]");
    var findingsHost = null;
    for (var h = 0; h < hosts.length; h += 1) {
      if (hosts[h].getAttribute("data-table") === "findings") {
        findingsHost = hosts[h];
      } else {
        start(hosts[h]);
      }
    }
    // The findings are read and drawn when their section comes near the
    // screen: on a large model they are most of the data.
    var findings = null;
    function showFindings() {
      if (findingsHost && !findings) {
        findings = "reading";
        readIsland("report-findings", function (own) {
          findings = own;
          start(findingsHost);
        });
      }
    }
    if (findingsHost && "IntersectionObserver" in window) {
      new IntersectionObserver(function (seen, observer) {
        if (seen.some(function (e) { return e.isIntersecting; })) {
          observer.disconnect();
          showFindings();
        }
      }, { rootMargin: "400px" }).observe(findingsHost);
    } else {
      showFindings();
    }

    // ---- diagrams: drawn when opened, zoomed and panned ---------------------
    function zoomable(figure, svg) {
      var frame = el("div", "zoom-frame");
      var scale = 1, x = 0, y = 0, drag = null;
      function apply() {
        svg.style.transform = "translate(" + x + "px," + y + "px) scale(" + scale + ")";
        frame.setAttribute("data-zoom", scale.toFixed(2));
      }
      function zoom(by) {
        scale = Math.min(8, Math.max(0.2, scale * by));
        apply();
      }
      var tools = el("div", "zoom-tools");
      [["+", function () { zoom(1.25); }], ["\u2212", function () { zoom(0.8); }],
        ["Reset", function () { scale = 1; x = 0; y = 0; apply(); }]].forEach(function (t) {
        var b = el("button", null, t[0]);
        b.type = "button";
        b.addEventListener("click", t[1]);
        tools.appendChild(b);
      });
      frame.addEventListener("wheel", function (e) {
        e.preventDefault();
        zoom(e.deltaY < 0 ? 1.1 : 1 / 1.1);
      }, { passive: false });
      frame.addEventListener("pointerdown", function (e) {
        drag = [e.clientX - x, e.clientY - y];
        frame.setPointerCapture(e.pointerId);
      });
      frame.addEventListener("pointermove", function (e) {
        if (drag) {
          x = e.clientX - drag[0];
          y = e.clientY - drag[1];
          apply();
        }
      });
      frame.addEventListener("pointerup", function () { drag = null; });
      frame.appendChild(svg);
      figure.appendChild(tools);
      figure.appendChild(frame);
      apply();
    }
    function drawView(figure) {
      var svg = data.svgs[Number(figure.getAttribute("data-view"))];
      if (!svg || figure.getAttribute("data-drawn")) {
        return;
      }
      figure.setAttribute("data-drawn", "yes");
      var parsed = new DOMParser().parseFromString(svg, "image/svg+xml");
      zoomable(figure, document.importNode(parsed.documentElement, true));
    }
    var views = document.querySelectorAll("details.view[data-view]");
    for (var v = 0; v < views.length; v += 1) {
      (function (figure) {
        if (figure.open) {
          drawView(figure);
        }
        figure.addEventListener("toggle", function () {
          if (figure.open) {
            drawView(figure);
          }
        });
      })(views[v]);
    }

    // ---- links --------------------------------------------------------------
    function follow() {
      var hash = decodeURIComponent(location.hash.slice(1));
      var target = null;
      if (hash === "findings") {
        showFindings();
        target = findingsHost;
      } else if (hash.indexOf("threat-") === 0 && threatIds[hash.slice(7)] !== undefined) {
        target = pagers.risk_register.reveal(threatIds[hash.slice(7)], hash);
      } else if (hash.indexOf("control-") === 0 && controlRows[hash.slice(8)] !== undefined) {
        target = pagers.control_requirements.reveal(controlRows[hash.slice(8)], hash);
      } else if (hash.indexOf("verification-") === 0) {
        var t = pagers.traceability;
        var name = hash.slice(13);
        t.search.value = t.state.q = name;
        t.state.page = 0;
        t.draw();
        target = t.host;
      } else if (hash.indexOf("register?") === 0) {
        var r = pagers.risk_register;
        hash.slice(9).split("&").forEach(function (kv) {
          var i = kv.indexOf("=");
          var k = kv.slice(0, i), val = kv.slice(i + 1);
          if (k === "page") {
            r.state.page = Math.max(0, Number(val) - 1) || 0;
          } else if (Object.prototype.hasOwnProperty.call(r.state, k)) {
            r.state[k] = val;
            if (r.selects[k]) { r.selects[k].value = val; }
            if (k === "q") { r.search.value = val; }
          }
        });
        r.draw();
        target = r.host;
      }
      if (target) {
        var old = document.querySelector(".target");
        if (old) { old.classList.remove("target"); }
        target.classList.add("target");
        target.scrollIntoView();
      }
    }
    window.addEventListener("hashchange", follow);
    follow();

    // ---- print: every row, every view ---------------------------------------
    function printAll() {
      showFindings();
      for (var k in pagers) {
        pagers[k].all = true;
        pagers[k].draw();
      }
      for (var i = 0; i < views.length; i += 1) {
        views[i].open = true;
        drawView(views[i]);
      }
    }
    function screenAgain() {
      for (var k in pagers) {
        pagers[k].all = false;
        pagers[k].draw();
      }
    }
    window.addEventListener("beforeprint", printAll);
    window.addEventListener("afterprint", screenAgain);

    // ---- layout check: do the register's key columns fit the window? ---------
    var reg = document.getElementById("risk-register");
    if (reg) {
      var width = document.documentElement.clientWidth;
      var heads = reg.tHead.rows[0].cells;
      var fit = heads.length > 0;
      for (var c = 0; c < heads.length; c += 1) {
        var box = heads[c].getBoundingClientRect();
        fit = fit && box.width > 0 && box.right <= width;
      }
      reg.setAttribute("data-key-columns-fit", fit ? "yes" : "no");
      reg.setAttribute("data-viewport", String(width));
    }
  }
})();
