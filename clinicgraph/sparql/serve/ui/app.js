// The query page: POST the query to ./sparql, show SELECT/ASK results as a table and
// other results as text. Values are put in with textContent only, never as HTML.
"use strict";

const PREFIXES = {
  "http://schema.org/": "schema:",
  "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
  "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
  "http://www.w3.org/2001/XMLSchema#": "xsd:",
  "http://www.w3.org/2002/07/owl#": "owl:",
};
const TABLE_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";

const $ = (id) => document.getElementById(id);

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function short(iri) {
  for (const [namespace, prefix] of Object.entries(PREFIXES)) {
    if (iri.startsWith(namespace)) return prefix + iri.slice(namespace.length);
  }
  return iri;
}

function cell(term) {
  const td = element("td");
  if (!term) return td;
  if (term.type === "uri") {
    if (/^https?:\/\//.test(term.value)) {
      const link = element("a", short(term.value));
      link.href = term.value;
      link.rel = "noopener noreferrer";
      td.append(link);
    } else {
      td.textContent = short(term.value);
    }
  } else if (term.type === "bnode") {
    td.textContent = "_:" + term.value;
  } else {
    td.textContent = term.value;
    const note = term["xml:lang"] ? "@" + term["xml:lang"]
      : term.datatype && !term.datatype.endsWith("#string") ? short(term.datatype) : "";
    if (note) td.append(" ", element("small", note));
  }
  return td;
}

function showTable(data) {
  if ("boolean" in data) return element("p", data.boolean ? "yes" : "no", "boolean");
  const table = element("table");
  const head = table.createTHead().insertRow();
  for (const name of data.head.vars) head.append(element("th", "?" + name));
  const body = table.createTBody();
  for (const row of data.results.bindings) {
    const tr = body.insertRow();
    for (const name of data.head.vars) tr.append(cell(row[name]));
  }
  return table;
}

async function run(event) {
  if (event) event.preventDefault();
  const format = $("format").value;
  const results = $("results");
  $("status").textContent = "running…";
  const started = performance.now();
  let response, text;
  try {
    response = await fetch("sparql", {
      method: "POST",
      headers: {"Content-Type": "application/sparql-query",
                "Accept": format === "table" ? TABLE_ACCEPT : format},
      body: $("query").value,
    });
    text = await response.text();
  } catch (error) {
    $("status").textContent = "";
    results.replaceChildren(element("p", "The server did not answer: " + error.message, "error"));
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (!response.ok) {
    $("status").textContent = `HTTP ${response.status} in ${seconds} s`;
    results.replaceChildren(element("p", text, "error"));
    return;
  }
  const type = response.headers.get("Content-Type") || "";
  if (format === "table" && type.startsWith("application/sparql-results+json")) {
    const data = JSON.parse(text);
    const rows = data.results ? data.results.bindings.length : 1;
    $("status").textContent = `${rows} row${rows === 1 ? "" : "s"} in ${seconds} s`;
    results.replaceChildren(showTable(data));
  } else {
    $("status").textContent = `${type.split(";")[0]} in ${seconds} s`;
    results.replaceChildren(element("pre", text));
  }
}

$("form").addEventListener("submit", run);
$("query").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run(event);
});
for (const button of document.querySelectorAll("#examples button")) {
  button.addEventListener("click", () => {
    $("query").value = button.dataset.query;
    run();
  });
}
