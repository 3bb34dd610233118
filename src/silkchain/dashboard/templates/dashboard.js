/* silkchain dashboard: controls -> background jobs -> charts and tables. No network beyond this server. */
(function () {
  "use strict";
  var CONFIG = {displaylogo: false, responsive: true};
  var seq = {};

  function $(id) { return document.getElementById(id); }

  function selected(select) {
    return Array.prototype.filter.call(select.options, function (o) { return o.selected; })
      .map(function (o) { return o.value; });
  }

  function setStatus(prefix, fraction, message, failed) {
    var bar = $(prefix + "-progress"), msg = $(prefix + "-message");
    if (bar) { bar.value = fraction; }
    if (msg) { msg.textContent = message; msg.className = failed ? "error" : ""; }
  }

  function draw(id, figure) {
    var el = $(id);
    return Plotly.react(el, figure.data, figure.layout, CONFIG).then(function () {
      var n = Number(el.getAttribute("data-draws") || "0") + 1;
      el.setAttribute("data-draws", String(n));
    });
  }

  function fillTable(id, table) {
    var el = $(id);
    if (!el) { return; }
    el.innerHTML = "";
    if (!table || !table.columns) { return; }
    var head = el.createTHead().insertRow();
    table.columns.forEach(function (c) {
      var th = document.createElement("th"); th.textContent = c; head.appendChild(th);
    });
    var body = el.createTBody();
    table.rows.forEach(function (r) {
      var tr = body.insertRow();
      r.forEach(function (v) {
        var td = tr.insertCell();
        td.textContent = (typeof v === "number") ? formatNumber(v) : (v === null ? "–" : v);
      });
    });
  }

  function formatNumber(v) {
    var a = Math.abs(v);
    if (a >= 1000) { return v.toLocaleString("en-US", {maximumFractionDigits: 0}); }
    if (a >= 10) { return v.toFixed(1); }
    return v.toFixed(4);
  }

  function detail(body) {
    if (!body) { return "request failed"; }
    if (typeof body.detail === "string") { return body.detail; }
    if (Array.isArray(body.detail)) {
      return body.detail.map(function (d) { return (d.loc || []).join(".") + ": " + d.msg; }).join("; ");
    }
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

  /* ---- measure explorer ---- */
  function fillVariables() {
    var opt = $("measure").selectedOptions[0];
    var vars = (opt.getAttribute("data-variables") || "").split(",");
    var def = opt.getAttribute("data-default");
    var sel = $("variable");
    sel.innerHTML = "";
    vars.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v; o.textContent = v; o.selected = (v === def); sel.appendChild(o);
    });
  }

  function measureParams() {
    return {
      dataset: $("dataset").value, start: Number($("start").value), end: Number($("end").value),
      countries: selected($("countries")), group: $("group").value || null,
      measure: $("measure").value, variable: $("variable").value || null
    };
  }

  function updateDownloads(p) {
    var q = new URLSearchParams({dataset: p.dataset, start: p.start, end: p.end,
      countries: p.countries.join(","), measure: p.measure, variable: p.variable || ""});
    if (p.group) { q.set("group", p.group); }
    $("download-csv").href = "/api/download?" + q.toString() + "&format=csv";
    $("download-xlsx").href = "/api/download?" + q.toString() + "&format=xlsx";
  }

  var timer = null;
  function refreshMeasure() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var p = measureParams();
      updateDownloads(p);
      runJob("measure", "/api/jobs/measure", p, function (res) {
        draw("measure-chart", res.figure).then(function () {
          $("measure-chart").setAttribute("data-countries", res.countries.join(","));
        });
        fillTable("measure-table", res.table);
        $("measure-cite").textContent = "Method: " + res.citation;
      });
    }, 150);
  }

  function setYears() {
    var opt = $("dataset").selectedOptions[0];
    var years = (opt.getAttribute("data-years") || "").split(",");
    ["start", "end"].forEach(function (id, k) {
      var sel = $(id); sel.innerHTML = "";
      years.forEach(function (y, i) {
        var o = document.createElement("option"); o.value = y; o.textContent = y;
        o.selected = k === 0 ? i === Math.max(years.length - 3, 0) : i === years.length - 1;
        sel.appendChild(o);
      });
    });
  }

  if ($("measure-form")) {
    fillVariables();
    $("dataset").addEventListener("change", function () { setYears(); refreshMeasure(); });
    $("measure").addEventListener("change", function () { fillVariables(); refreshMeasure(); });
    ["start", "end", "countries", "group", "variable"].forEach(function (id) {
      $(id).addEventListener("change", refreshMeasure);
    });
    refreshMeasure();
  }

  /* ---- Belt and Road answers ---- */
  if ($("bri-run")) {
    $("bri-run").addEventListener("click", function () {
      var p = {dataset: $("dataset").value, start: Number($("start").value),
               end: Number($("end").value), group: $("bri-group").value,
               answer: $("bri-answer").value};
      runJob("bri", "/api/jobs/bri", p, function (res) {
        draw("bri-chart", res.figure);
        $("bri-guide").textContent = "How to read it: " + res.guide;
        $("bri-cite").textContent = "Method: " + res.citation + (res.caveat ? " Caveat: " + res.caveat : "");
      });
    });
  }

  /* ---- scenario ---- */
  if ($("scenario-run")) {
    $("scenario-run").addEventListener("click", function () {
      var form = {};
      Array.prototype.forEach.call($("scenario-form").elements, function (el) {
        if (el.name && el.name !== "year") { form[el.name] = el.value; }
      });
      var p = {dataset: $("dataset").value, year: Number($("sc-year").value), form: form};
      runJob("scenario", "/api/jobs/scenario", p, function (res) {
        draw("scenario-chart", res.figure);
        fillTable("scenario-table", res.table);
      });
    });
  }
})();
