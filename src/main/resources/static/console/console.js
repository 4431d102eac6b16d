// The crm-sync console: reads the actuator's ops endpoints every few seconds. Without the admin token it is
// read-only and shows no payloads; with it, dead letters and synced documents show, and a dead letter can be replayed.
(function () {
  const tokenKey = "crm-sync-admin-token";
  const $ = (id) => document.getElementById(id);

  function token() {
    return sessionStorage.getItem(tokenKey) || "";
  }

  async function call(path, options) {
    const headers = { "Accept": "application/json" };
    if (token()) {
      headers["Authorization"] = "Bearer " + token();
    }
    if (options && options.method === "POST") {
      headers["Content-Type"] = "application/json";
    }
    const response = await fetch("/actuator/" + path, Object.assign({ headers: headers }, options || {}));
    if (!response.ok) {
      throw new Error(path + ": HTTP " + response.status);
    }
    return response.json();
  }

  function cell(row, text, className) {
    const td = document.createElement("td");
    td.textContent = text === null || text === undefined ? "" : String(text);
    if (className) {
      td.className = className;
    }
    row.appendChild(td);
    return td;
  }

  function fill(tableId, items, render) {
    const body = $(tableId).querySelector("tbody");
    body.replaceChildren();
    items.forEach((item) => {
      const row = document.createElement("tr");
      render(row, item);
      body.appendChild(row);
    });
  }

  function button(td, label, action) {
    const b = document.createElement("button");
    b.className = "link";
    b.textContent = label;
    b.addEventListener("click", action);
    td.appendChild(b);
  }

  // A small line chart of one series, as inline SVG: no chart library, no external service.
  function chart(td, values, label) {
    const width = 120, height = 26;
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    svg.setAttribute("class", "chart");
    const max = Math.max(1, ...values);
    const step = values.length > 1 ? width / (values.length - 1) : 0;
    const points = values.map((v, i) => (i * step).toFixed(1) + "," + (height - 2 - (v / max) * (height - 4)).toFixed(1));
    const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
    line.setAttribute("points", points.length === 1 ? points[0] + " " + width + "," + points[0].split(",")[1] : points.join(" "));
    svg.appendChild(line);
    const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
    const last = values.length ? values[values.length - 1] : 0;
    title.textContent = label + ": now " + (Math.round(last * 10) / 10) + ", peak " + (Math.round(max * 10) / 10);
    svg.appendChild(title);
    td.appendChild(svg);
    const now = document.createElement("span");
    now.className = "chart-value";
    now.textContent = String(Math.round(last * 10) / 10);
    td.appendChild(now);
  }

  async function streams(state) {
    const all = await call("streams");
    fill("streams", all, (row, s) => {
      cell(row, s.stream);
      cell(row, s.group);
      cell(row, s.length, "num");
      cell(row, s.consumers, s.consumers === 0 ? "num bad" : "num");
      cell(row, s.pending, "num");
      cell(row, s.lag, "num");
      cell(row, s.oldestPendingIdleMs === null ? "" : Math.round(s.oldestPendingIdleMs / 1000) + " s");
      const points = state.history[s.stream + " " + s.group] || [];
      const lag = cell(row, "", "history");
      const rate = cell(row, "", "history");
      if (points.length) {
        chart(lag, points.map((p) => p.lag), "lag");
        chart(rate, points.map((p) => p.ackedPerSecond), "acked per second");
      } else {
        lag.textContent = rate.textContent = "sampling...";
        lag.classList.add("note");
        rate.classList.add("note");
      }
    });
  }

  async function records() {
    const all = await call("records?limit=30");
    fill("records", all, (row, r) => {
      cell(row, r.processedAt);
      cell(row, r.status, r.status === "deadlettered" ? "bad" : "");
      cell(row, r.eventType);
      cell(row, r.tenantId);
      cell(row, r.entityKey);
      cell(row, r._id);
      const wrote = cell(row, "");
      if (r.target) {
        button(wrote, r.target, () => showDocument(r.target));
      }
    });
  }

  async function showDocument(target) {
    const pre = $("document");
    pre.hidden = false;
    if (!token()) {
      pre.textContent = "Documents hold personal data: enter the admin token to see " + target + ".";
      return;
    }
    try {
      pre.textContent = JSON.stringify(await call("documents?target=" + encodeURIComponent(target)), null, 2);
    } catch (e) {
      pre.textContent = e.message;
    }
  }

  async function deadLetters() {
    const locked = !token();
    $("deadletters-locked").hidden = !locked;
    $("deadletters").hidden = locked;
    if (locked) {
      return;
    }
    const all = await call("deadletters?limit=50");
    fill("deadletters", all, (row, d) => {
      cell(row, d.id);
      cell(row, d.reason, "bad");
      cell(row, d.eventType);
      cell(row, d.sourceStream + "/" + d.sourceId);
      cell(row, d.error);
      const actions = cell(row, "");
      button(actions, "inspect", async () => {
        const pre = $("deadletter");
        pre.hidden = false;
        pre.textContent = JSON.stringify(await call("deadletters/" + encodeURIComponent(d.id)), null, 2);
      });
      actions.appendChild(document.createTextNode(" "));
      button(actions, "replay", async () => {
        const result = await call("deadletters/" + encodeURIComponent(d.id), { method: "POST", body: "{}" });
        const pre = $("deadletter");
        pre.hidden = false;
        pre.textContent = "replayed: " + JSON.stringify(result, null, 2);
        refresh();
      });
    });
  }

  async function routes(state) {
    fill("files", state.files, (row, f) => {
      cell(row, f.file);
      cell(row, f.valid ? "valid" : "invalid", f.valid ? "good" : "bad");
      cell(row, f.problems.join("; "));
    });
    fill("routes", state.routes, (row, r) => {
      cell(row, r.id);
      cell(row, r.status, r.status === "Started" ? "good" : r.status.startsWith("off") ? "note" : "bad");
      cell(row, r.from);
      cell(row, r.source);
    });
  }

  async function refresh() {
    const error = $("error");
    try {
      const state = await call("console");
      await Promise.all([streams(state), records(), deadLetters(), routes(state)]);
      error.hidden = true;
    } catch (e) {
      error.hidden = false;
      error.textContent = "Could not refresh: " + e.message;
    }
  }

  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(tokenKey, $("token").value.trim());
    $("mode").textContent = token() ? "admin" : "read-only";
    refresh();
  });
  $("mode").textContent = token() ? "admin" : "read-only";
  refresh();
  setInterval(refresh, 3000);
})();
