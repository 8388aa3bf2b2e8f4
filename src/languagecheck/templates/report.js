(function () {
  "use strict";
  var fields = ["category", "severity", "rule"];
  function selected() {
    var wanted = {};
    fields.forEach(function (f) { wanted[f] = document.getElementById("filter-" + f).value; });
    return wanted;
  }
  function matches(data, wanted) {
    return fields.every(function (f) { return !wanted[f] || data[f] === wanted[f]; });
  }
  function listMatches(row, wanted) {
    return fields.every(function (f) {
      return !wanted[f] || (row.getAttribute("data-" + f.replace(/y$/, "ie") + "s") || "").split(" ").indexOf(wanted[f]) >= 0;
    });
  }
  function apply() {
    var wanted = selected();
    var active = fields.some(function (f) { return wanted[f]; });
    var visible = {};
    var shown = 0;
    document.querySelectorAll("li.finding").forEach(function (li) {
      var ok = matches(li.dataset, wanted);
      li.classList.toggle("hidden", !ok);
      visible[li.dataset.key] = ok;
      if (ok) { shown += 1; }
    });
    document.querySelectorAll("mark.lc").forEach(function (mark) {
      var on = mark.dataset.findings.split(" ").some(function (key) { return visible[key]; });
      mark.classList.toggle("off", !on);
    });
    document.querySelectorAll("article.doc").forEach(function (doc) {
      doc.classList.toggle("hidden", !doc.querySelector("li.finding:not(.hidden)"));
    });
    var documents = document.getElementById("filter-documents").value;
    document.querySelectorAll("tr.docrow").forEach(function (row) {
      var hide = (active && !listMatches(row, wanted)) ||
        (documents === "findings" && row.dataset.count === "0") ||
        (documents === "unscanned" && row.dataset.state === "scanned");
      row.classList.toggle("hidden", hide);
    });
    document.getElementById("visible-findings").textContent = String(shown);
    var hash = fields.filter(function (f) { return wanted[f]; })
      .map(function (f) { return f + "=" + encodeURIComponent(wanted[f]); }).join("&");
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", hash ? "#" + hash : window.location.pathname + window.location.search);
    }
  }
  function fromHash() {
    var hash = window.location.hash.replace(/^#/, "");
    hash.split("&").forEach(function (pair) {
      var parts = pair.split("=");
      if (parts.length === 2 && fields.indexOf(parts[0]) >= 0) {
        var select = document.getElementById("filter-" + parts[0]);
        var value = decodeURIComponent(parts[1]);
        if (Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
          select.value = value;
        }
      }
    });
  }
  function openFinding(mark) {
    var key = mark.dataset.findings.split(" ")[0];
    var item = document.getElementById(key);
    if (item) {
      item.querySelector("details").open = true;
      item.scrollIntoView({ block: "nearest" });
    }
  }
  fields.concat(["documents"]).forEach(function (f) {
    document.getElementById("filter-" + f).addEventListener("change", apply);
  });
  document.querySelectorAll("mark.lc").forEach(function (mark) {
    mark.addEventListener("click", function () { openFinding(mark); });
    mark.addEventListener("keydown", function (e) { if (e.key === "Enter") { openFinding(mark); } });
  });
  fromHash();
  apply();
})();
