/* BuiCaSuS network view: draws /api/v1/network/graph with Cytoscape.js.
   No inline script: the page passes the API address and every message in data attributes.
   Node size follows degree, colour the actor type (legend on the page); a click (tap) on a
   node opens the side panel with its metrics and a link to the organisation page. Keyboard
   and screen-reader users get the same information from the page's tables. */
(function () {
  "use strict";

  function text(el, name) {
    return el.getAttribute("data-" + name) || "";
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  function colours() {
    var map = {};
    document.querySelectorAll(".network-legend li[data-type]").forEach(function (li) {
      map[li.getAttribute("data-type")] = li.getAttribute("data-colour");
    });
    return map;
  }

  function showPanel(panel, data) {
    var body = document.getElementById("network-panel-body");
    var link = document.getElementById("network-panel-link");
    document.getElementById("network-panel-title").textContent = data.label;
    body.textContent = "";
    var rows = [
      ["type", data.type_label],
      ["country", data.country + (data.external ? " (" + text(panel, "label-external") + ")" : "")],
      ["degree", data.degree],
      ["betweenness", Number(data.betweenness).toFixed(4)],
      ["brokerage", Number(data.brokerage).toFixed(4)],
      ["community", data.community]
    ];
    rows.forEach(function (row) {
      var dt = document.createElement("dt");
      var dd = document.createElement("dd");
      dt.textContent = text(panel, "label-" + row[0]);
      dd.textContent = row[1];
      body.appendChild(dt);
      body.appendChild(dd);
    });
    link.textContent = text(panel, "label-open");
    link.setAttribute("href", data.url);
    panel.hidden = false;
  }

  function draw(container, status, panel, graph) {
    var palette = colours();
    var maxDegree = 1;
    graph.nodes.forEach(function (n) {
      maxDegree = Math.max(maxDegree, n.data.degree);
    });
    container.hidden = false;
    var many = graph.nodes.length > 400;
    var cy = window.cytoscape({
      container: container,
      elements: { nodes: graph.nodes, edges: graph.edges },
      style: [
        {
          selector: "node",
          style: {
            "background-color": function (node) {
              return palette[node.data("actor_type")] || "#999999";
            },
            width: function (node) {
              return 8 + 28 * Math.sqrt(node.data("degree") / maxDegree);
            },
            height: function (node) {
              return 8 + 28 * Math.sqrt(node.data("degree") / maxDegree);
            },
            // Isolated nodes sit side by side in rows, where their names would print over
            // each other: their name is in the side panel (tap) and on the isolated page.
            label: function (node) {
              return many || node.data("degree") === 0 ? "" : node.data("label");
            },
            "font-size": 8,
            "text-valign": "bottom",
            "border-width": function (node) {
              return node.data("external") ? 2 : 0;
            },
            "border-color": "#333333"
          }
        },
        {
          selector: "edge",
          style: {
            width: function (edge) {
              return Math.min(1 + Math.log(edge.data("weight")), 5);
            },
            "line-color": "#aaaaaa",
            opacity: 0.6
          }
        },
        { selector: "node:selected", style: { "border-width": 3, "border-color": "#000000" } }
      ],
      layout: many
        ? { name: "concentric", concentric: function (node) { return node.data("degree"); },
            levelWidth: function () { return Math.max(1, maxDegree / 8); }, animate: false }
        : { name: "cose", animate: false, randomize: false, numIter: 400 }
    });
    cy.on("tap", "node", function (event) {
      showPanel(panel, event.target.data());
    });
    return cy;
  }

  function start() {
    var container = document.getElementById("network-view");
    var status = document.getElementById("network-status");
    var panel = document.getElementById("network-panel");
    if (!container || !status || !panel) {
      return;
    }
    if (typeof window.cytoscape !== "function" || typeof window.fetch !== "function") {
      status.textContent = text(status, "msg-nolib");
      return;
    }
    status.textContent = text(status, "msg-loading");
    window
      .fetch(text(container, "graph-url"), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (graph) {
        var values = { shown: graph.shown_nodes, total: graph.total_nodes };
        if (!graph.nodes.length) {
          status.textContent = text(status, "msg-empty");
          return;
        }
        status.textContent = fill(text(status, graph.sampled ? "msg-sampled" : "msg-all"), values);
        draw(container, status, panel, graph);
      })
      .catch(function () {
        status.textContent = text(status, "msg-error");
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
