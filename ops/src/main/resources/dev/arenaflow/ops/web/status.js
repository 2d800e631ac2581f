// The status page: polls /api/status once a second and redraws. Read-only.
"use strict";

const COLUMNS = ["records_in", "snapshots_out", "dead_letters", "retries", "in_flight", "arena_entries", "parked", "quarantined_sources", "held"];
const RATES = ["records_in", "snapshots_out", "dead_letters"];
const POLL_MS = 1000;
let chart = null;

function text(id, value) {
  document.getElementById(id).textContent = value;
}

function cell(row, cls, value) {
  const td = row.insertCell();
  td.className = cls;
  td.textContent = value;
  return td;
}

function pluginRow(tbody, plugin) {
  let row = tbody.querySelector(`tr[data-plugin="${CSS.escape(plugin.name)}"]`);
  if (!row) {
    row = tbody.insertRow();
    row.dataset.plugin = plugin.name;
  }
  row.textContent = "";
  cell(row, "name", plugin.name);
  cell(row, "state " + plugin.state, plugin.state);
  const wanted = plugin.wanted.state + (plugin.wanted.reason ? " (" + plugin.wanted.reason + ")" : "");
  cell(row, "wanted", wanted);
  cell(row, "problem", plugin.problems.join("; "));
  for (const c of COLUMNS) {
    cell(row, "num " + c.replaceAll("_", "-"), plugin.counts[c].toLocaleString("en"));
  }
  for (const r of RATES) {
    cell(row, "num rate-" + r.replaceAll("_", "-"), plugin.rates[r].toFixed(1));
  }
}

function threads(list, streams) {
  list.textContent = "";
  for (const t of streams.threads) {
    const li = document.createElement("li");
    const active = t.active.map(a => a.task + " [" + a.partitions.join(", ") + "]").join("; ") || "none";
    li.textContent = `${t.name} (${t.state}): active ${active}; standby ${t.standby.join(", ") || "none"}`;
    list.appendChild(li);
  }
}

function draw(throughput) {
  const data = [throughput.t, throughput.records_in, throughput.snapshots_out, throughput.dead_letters];
  if (!chart) {
    chart = new uPlot({
      width: Math.min(window.innerWidth - 60, 1100),
      height: 260,
      series: [
        {},
        { label: "records in/s", stroke: "#0969da", width: 2 },
        { label: "snapshots out/s", stroke: "#2da44e", width: 2 },
        { label: "dead letters/s", stroke: "#cf222e", width: 2 },
      ],
      axes: [{}, { label: "per second" }],
    }, data, document.getElementById("chart"));
  } else {
    chart.setData(data);
  }
}

function render(status) {
  text("application", status.application);
  text("instance", status.instance.host + " (pid " + status.instance.pid + ")");
  text("streams-state", status.streams.state);
  const ready = document.getElementById("ready");
  ready.textContent = status.ready ? "ready" : "not ready";
  ready.className = "badge " + (status.ready ? "up" : "down");
  const tbody = document.querySelector("#plugins tbody");
  for (const plugin of status.plugins) {
    pluginRow(tbody, plugin);
  }
  threads(document.getElementById("threads"), status.streams);
  draw(status.throughput);
  text("updated", "updated " + new Date().toLocaleTimeString());
}

async function poll() {
  try {
    const response = await fetch("/api/status", { cache: "no-store" });
    if (response.ok) {
      render(await response.json());
    } else {
      text("updated", "status answered " + response.status);
    }
  } catch (e) {
    text("updated", "cannot reach the instance: " + e);
  }
  setTimeout(poll, POLL_MS);
}

poll();
