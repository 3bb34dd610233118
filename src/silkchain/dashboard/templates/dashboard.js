/* silkchain dashboard: controls -> background jobs -> charts and tables. No network beyond this server.
   The page's state lives in its URL (query string), so a view can be shared or bookmarked. */
(function () {
  "use strict";
  var CONFIG = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud"]};
  var seq = {};
  var info = null;          /* /api/datasets/{name} of the chosen dataset */
  var restoring = true;     /* while the URL's state is applied, changes do not recompute */

  function $(id) { return document.getElementById(id); }

  function selected(select) {
    return Array.prototype.filter.call(select.options, function (o) { return o.selected; })
      .map(function (o) { return o.value; });
  }

  function setStatus(prefix, fraction, message, failed) {
    var bar = $(prefix + "-progress"), msg = $(prefix + "-message");
    if (bar) { bar.value = fraction; }
    if (msg) { msg.textContent = message; msg.className = failed ? "error" : ""; }
    var box = $(prefix + "-result");
    if (box) {
      if (failed) { box.classList.add("stale"); }
      else if (fraction >= 1) { box.classList.remove("stale"); }
    }
  }

  /* The figure's title goes above the chart (never under the toolbar); the chart keeps none. */
  function draw(id, figure) {
    var el = $(id), layout = figure.layout || {};
    var title = layout.title && (layout.title.text !== undefined ? layout.title.text : layout.title);
    var caption = $(id + "-title");
    if (caption) {
      caption.innerHTML = "";
      caption.appendChild(document.createTextNode(String(title || "").replace(/<[^>]*>/g, " ")));
      layout.title = {text: ""};
      layout.margin = Object.assign({}, layout.margin || {}, {t: 30});
    }
    return Plotly.react(el, figure.data, layout, CONFIG).then(function () {
      var n = Number(el.getAttribute("data-draws") || "0") + 1;
      el.setAttribute("data-draws", String(n));
    });
  }

  function formatNumber(v, places) {
    if (places === undefined || places === null) {
      var a = Math.abs(v);
      places = a >= 1000 ? 0 : (a >= 10 ? 1 : 3);
    }
    return v.toLocaleString("en-US", {minimumFractionDigits: places, maximumFractionDigits: places});
  }

  /* One number of decimals per column, from the column's largest magnitude. */
  function columnDecimals(table) {
    return table.columns.map(function (c, i) {
      var big = 0, any = false;
      table.rows.forEach(function (r) {
        if (typeof r[i] === "number" && isFinite(r[i])) { any = true; big = Math.max(big, Math.abs(r[i])); }
      });
      if (!any) { return null; }
      return big >= 1000 ? 0 : (big >= 100 ? 1 : 3);
    });
  }

  function fillTable(id, table) {
    var el = $(id);
    if (!el) { return; }
    el.innerHTML = "";
    if (!table || !table.columns) { return; }
    var places = table.decimals || columnDecimals(table);
    var head = el.createTHead().insertRow();
    table.columns.forEach(function (c) {
      var th = document.createElement("th"); th.textContent = c; head.appendChild(th);
    });
    var body = el.createTBody();
    table.rows.forEach(function (r) {
      var tr = body.insertRow();
      r.forEach(function (v, i) {
        var td = tr.insertCell();
        td.textContent = (typeof v === "number") ? formatNumber(v, places[i]) : (v === null ? "–" : v);
      });
    });
  }

  function detail(body) {
    if (!body) { return "request failed"; }
    if (typeof body.detail === "string") { return body.detail; }
    return JSON.stringify(body);
  }

  /* POST a job, poll it, and hand the result to done(); older runs of the same prefix are dropped. */
  function runJob(prefix, url, payload, done) {
    var mine = (seq[prefix] || 0) + 1;
    seq[prefix] = mine;
    setStatus(prefix, 0, "starting…");
    fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
                body: JSON.stringify(payload)})
      .then(function (r) { return r.json().then(function (b) { return {ok: r.ok, body: b}; }); })
      .then(function (res) {
        if (!res.ok) { throw new Error(detail(res.body)); }
        poll(prefix, mine, res.body.id, done);
      })
      .catch(function (err) { if (seq[prefix] === mine) { setStatus(prefix, 0, err.message, true); } });
  }

  function poll(prefix, mine, id, done) {
    if (seq[prefix] !== mine) { return; }
    fetch("/api/jobs/" + id).then(function (r) { return r.json(); }).then(function (job) {
      if (seq[prefix] !== mine) { return; }
      if (job.status === "done") {
        setStatus(prefix, 1, "done");
        done(job.result);
      } else if (job.status === "error") {
        setStatus(prefix, job.fraction || 0, job.error || "failed", true);
      } else {
        setStatus(prefix, job.fraction || 0, job.message + " (" + job.done + "/" + job.total + ")");
        setTimeout(function () { poll(prefix, mine, id, done); }, 250);
      }
    }).catch(function (err) { setStatus(prefix, 0, err.message, true); });
  }

  /* ---- the dataset: its years, countries and sectors fill every control ---- */
  function fillYears(years) {
    Array.prototype.forEach.call(document.querySelectorAll("select.years"), function (sel) {
      var keep = sel.value, pick = Number(sel.getAttribute("data-pick") || "-1");
      sel.innerHTML = "";
      years.forEach(function (y) {
        var o = document.createElement("option"); o.value = String(y); o.textContent = String(y);
        sel.appendChild(o);
      });
      var want = years.indexOf(Number(keep)) >= 0 ? keep : String(years[pick >= 0 ? Math.min(pick, years.length - 1) : Math.max(years.length + pick, 0)]);
      sel.value = want;
    });
  }

  function fillCountries(data) {
    Array.prototype.forEach.call(document.querySelectorAll("select.countries"), function (sel) {
      var keep = selected(sel), multi = sel.multiple;
      var def = multi ? data.defaults.countries : [sel.getAttribute("data-default")];
      var have = keep.filter(function (c) { return data.countries.indexOf(c) >= 0; });
      if (!have.length) { have = def.filter(function (c) { return data.countries.indexOf(c) >= 0; }); }
      if (!have.length) { have = [data.countries[multi ? 0 : Math.min(1, data.countries.length - 1)]]; }
      sel.innerHTML = "";
      data.countries.forEach(function (c) {
        var o = document.createElement("option");
        o.value = c; o.textContent = data.country_names[c] + (data.country_names[c] === c ? "" : " (" + c + ")");
        o.selected = have.indexOf(c) >= 0;
        sel.appendChild(o);
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("select.sectors"), function (sel) {
      var keep = sel.value;
      sel.innerHTML = "";
      data.sectors.forEach(function (s) {
        var o = document.createElement("option");
        o.value = s.code; o.textContent = s.name + (s.name === s.code ? "" : " (" + s.code + ")");
        sel.appendChild(o);
      });
      var codes = data.sectors.map(function (s) { return s.code; });
      sel.value = codes.indexOf(keep) >= 0 ? keep : data.defaults.sector;
    });
  }

  function loadDataset() {
    var name = $("dataset").value;
    var opt = $("dataset").selectedOptions[0];
    if ($("rounding-caveat")) { $("rounding-caveat").hidden = opt.getAttribute("data-rounded") !== "yes"; }
    return fetch("/api/datasets/" + encodeURIComponent(name)).then(function (r) {
      return r.json().then(function (b) { if (!r.ok) { throw new Error(detail(b)); } return b; });
    }).then(function (data) {
      info = data;
      fillYears(data.years);
      fillCountries(data);
    }).catch(function (err) { setStatus("measure", 0, err.message, true); });
  }

  /* ---- the URL keeps the state ---- */
  var KEYS = {dataset: "ds", start: "from", end: "to", countries: "c", group: "g", members: "members",
              measure: "m", variable: "v", "bri-answer": "q", "bri-group": "qg", "bri-start": "qfrom",
              "bri-end": "qto", "sda-measure": "dm", "sda-group": "dg", "sda-start": "dfrom", "sda-end": "dto", "sc-year": "sy", "sc-kind": "sk", "sc-from": "sfrom", "sc-to": "sto",
              "sc-sector": "ss", "sc-share": "sshare", "sc-technology": "stech"};

  function value(el) {
    if (el.type === "checkbox") { return el.checked ? "1" : ""; }
    if (el.multiple) { return selected(el).join(","); }
    return el.value;
  }

  function setValue(el, v) {
    if (el.type === "checkbox") { el.checked = v === "1"; return; }
    if (el.multiple) {
      var want = v.split(",");
      Array.prototype.forEach.call(el.options, function (o) { o.selected = want.indexOf(o.value) >= 0; });
      return;
    }
    if (el.tagName === "SELECT" && !Array.prototype.some.call(el.options, function (o) { return o.value === v; })) { return; }
    el.value = v;
  }

  function saveState() {
    if (restoring) { return; }
    var q = new URLSearchParams();
    Object.keys(KEYS).forEach(function (id) {
      var el = $(id);
      if (el && value(el) !== "") { q.set(KEYS[id], value(el)); }
    });
    history.replaceState(null, "", "?" + q.toString());
  }

  function restoreState(q, ids) {
    ids.forEach(function (id) {
      var el = $(id);
      if (el && q.has(KEYS[id])) { setValue(el, q.get(KEYS[id])); }
    });
  }

  /* ---- measure explorer ---- */
  function fillVariables() {
    var opt = $("measure").selectedOptions[0];
    var vars = (opt.getAttribute("data-variables") || "").split(",");
    var def = opt.getAttribute("data-default");
    var sel = $("variable"), keep = sel.value;
    sel.innerHTML = "";
    vars.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v; o.textContent = v; sel.appendChild(o);
    });
    sel.value = vars.indexOf(keep) >= 0 ? keep : def;
  }

  function measureParams() {
    return {
      dataset: $("dataset").value, start: Number($("start").value), end: Number($("end").value),
      countries: selected($("countries")), group: $("group").value || null,
      members: $("members").checked,
      measure: $("measure").value, variable: $("variable").value || null
    };
  }

  function downloadUrl(p, format) {
    var q = new URLSearchParams({dataset: p.dataset, start: p.start, end: p.end,
      countries: p.countries.join(","), measure: p.measure, variable: p.variable || ""});
    if (p.group) { q.set("group", p.group); q.set("members", p.members ? "true" : "false"); }
    q.set("format", format);
    return "/api/download?" + q.toString();
  }

  function updateDownloads(p) {
    $("download-csv").href = downloadUrl(p, "csv");
    $("download-xlsx").href = downloadUrl(p, "xlsx");
  }

  function showMeasure(res) {
    draw("measure-chart", res.figure).then(function () {
      $("measure-chart").setAttribute("data-countries", res.countries.join(","));
    });
    fillTable("measure-table", res.table);
    $("measure-cite").textContent = "Method: " + res.citation;
    $("measure-coverage").textContent = res.coverage ? "Coverage: " + res.coverage : "";
    $("measure-coverage").hidden = !res.coverage;
    var gaps = res.undefined || [];
    $("measure-undefined").textContent = gaps.length ?
      "Gaps in the chart and table: " + gaps.join("; ") + "." : "";
    $("measure-undefined").hidden = !gaps.length;
  }

  var timer = null;
  function refreshMeasure() {
    if (restoring) { return; }
    saveState();
    clearTimeout(timer);
    timer = setTimeout(function () {
      var p = measureParams();
      updateDownloads(p);
      runJob("measure", "/api/jobs/measure", p, showMeasure);
    }, 150);
  }

  /* A download first runs (or finds cached) the computation with its progress, then fetches the file. */
  function download(event) {
    event.preventDefault();
    var link = event.currentTarget, p = measureParams();
    runJob("measure", "/api/jobs/measure", p, function (res) {
      showMeasure(res);
      setStatus("measure", 1, "done; downloading");
      var a = document.createElement("a");
      a.href = link.href; a.setAttribute("download", "");
      document.body.appendChild(a); a.click(); a.remove();
    });
  }

  /* ---- Belt and Road answers ---- */
  function runBri() {
    saveState();
    var p = {dataset: $("dataset").value, start: Number($("bri-start").value),
             end: Number($("bri-end").value), group: $("bri-group").value,
             answer: $("bri-answer").value};
    runJob("bri", "/api/jobs/bri", p, function (res) {
      draw("bri-chart", res.figure);
      if (res.title) { $("bri-chart-title").textContent = res.title; }
      $("bri-guide").textContent = "How to read it: " + res.guide;
      $("bri-cite").textContent = "Method: " + res.citation + (res.caveat ? " Caveat: " + res.caveat : "");
    });
  }

  /* ---- structural decomposition ---- */
  function runSda() {
    saveState();
    var p = {dataset: $("dataset").value, start: Number($("sda-start").value),
             end: Number($("sda-end").value), group: $("sda-group").value,
             measure: $("sda-measure").value};
    runJob("sda", "/api/jobs/sda", p, function (res) {
      draw("sda-chart", res.figure);
      if (res.title) { $("sda-chart-title").textContent = res.title; }
      $("sda-guide").textContent = "How to read it: " + res.guide;
      $("sda-cite").textContent = "Method: " + res.citation + (res.caveat ? " Caveat: " + res.caveat : "");
      fillTable("sda-table", res.table);
      $("sda-csv").href = "/api/download/sda?" + new URLSearchParams(p).toString();
      $("sda-downloads").hidden = false;
    });
  }

  /* ---- scenario ---- */
  function kindFields() {
    var extract = $("sc-kind") && $("sc-kind").value === "extract";
    ["to", "share", "technology"].forEach(function (name) {
      var label = document.querySelector("#scenario-form .field-" + name);
      if (label) { label.hidden = extract; }
    });
  }

  function csvCell(v) {
    var s = v === null || v === undefined ? "" : String(v);
    return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function blobUrl(text, type) { return URL.createObjectURL(new Blob([text], {type: type})); }

  function runScenario() {
    saveState();
    var form = {};
    Array.prototype.forEach.call($("scenario-form").elements, function (el) {
      var label = el.closest ? el.closest("label") : null;
      if (el.name && el.name !== "year" && !(label && label.hidden)) { form[el.name] = el.value; }
    });
    var p = {dataset: $("dataset").value, year: Number($("sc-year").value), form: form};
    runJob("scenario", "/api/jobs/scenario", p, function (res) {
      draw("scenario-chart", res.figure);
      fillTable("scenario-table", res.table);
      var lines = [res.table.columns.map(csvCell).join(",")].concat(
        res.table.rows.map(function (r) { return r.map(csvCell).join(","); }));
      $("scenario-csv").href = blobUrl(lines.join("\n") + "\n", "text/csv");
      var spec = Object.assign({dataset: p.dataset, year: p.year, sha256: res.sha256}, res.scenario);
      $("scenario-spec").href = blobUrl(JSON.stringify(spec, null, 2) + "\n", "application/json");
      $("scenario-downloads").hidden = false;
    });
  }

  /* ---- wiring ---- */
  function start() {
    var q = new URLSearchParams(location.search);
    if (q.has("ds")) { setValue($("dataset"), q.get("ds")); }
    loadDataset().then(function () {
      restoreState(q, Object.keys(KEYS).filter(function (id) { return id !== "dataset" && id !== "variable"; }));
      if ($("measure-form")) { fillVariables(); restoreState(q, ["variable"]); }
      kindFields();
      restoring = false;
      if ($("measure-form")) { refreshMeasure(); }
      if (q.has("q") && $("bri-run")) { runBri(); }
    });
  }

  $("dataset").addEventListener("change", function () {
    loadDataset().then(function () { refreshMeasure(); saveState(); });
  });
  if ($("measure-form")) {
    $("measure").addEventListener("change", function () { fillVariables(); refreshMeasure(); });
    ["start", "end", "countries", "group", "members", "variable"].forEach(function (id) {
      $(id).addEventListener("change", refreshMeasure);
    });
    $("download-csv").addEventListener("click", download);
    $("download-xlsx").addEventListener("click", download);
  }
  if ($("bri-run")) {
    $("bri-run").addEventListener("click", runBri);
    ["bri-answer", "bri-group", "bri-start", "bri-end"].forEach(function (id) {
      $(id).addEventListener("change", saveState);
    });
  }
  if ($("sda-run")) {
    $("sda-run").addEventListener("click", runSda);
    ["sda-measure", "sda-group", "sda-start", "sda-end"].forEach(function (id) {
      $(id).addEventListener("change", saveState);
    });
  }
  if ($("scenario-run")) {
    $("scenario-run").addEventListener("click", runScenario);
    if ($("sc-kind")) { $("sc-kind").addEventListener("change", function () { kindFields(); saveState(); }); }
    Array.prototype.forEach.call($("scenario-form").elements, function (el) {
      el.addEventListener("change", saveState);
    });
  }
  start();
})();
