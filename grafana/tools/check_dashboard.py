#!/usr/bin/python3
"""Static checks of the shipped Grafana/Prometheus files against the engine's metric catalog.

    check_dashboard.py            checks grafana/ next to this tool; prints problems, exits 1 on any

Dashboard (dashboards/aria_engine.json): a bare dashboard object (no {"dashboard": ...} wrapper),
stable uid, schemaVersion, the datasource/job/instance variables; every panel other than a row
has a unique id, a gridPos inside the 24-column grid that overlaps no other panel, the
${datasource} datasource on the panel and on each target, a unit, and at least one target; every
metric selector names a catalog metric and carries job=~"$job",instance=~"$instance".
Alerts (prometheus/alerts.yml): the five alerts, each with a severity label, summary and description,
reading only catalog metrics or `up`. Fake target: exports exactly the catalog.
"""
import json
import os
import re
import subprocess
import sys

import yaml

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DS = {"type": "prometheus", "uid": "${datasource}"}
UID = "aria-engine-prod"

# The engine's catalog: family name -> type. Keep in step with the engine (and fake_target.py).
CATALOG = {
    "aria_build_info": "gauge",
    "aria_requests_total": "counter",
    "aria_request_duration_seconds": "histogram",
    "aria_requests_in_progress": "gauge",
    "aria_llm_requests_total": "counter",
    "aria_llm_request_duration_seconds": "histogram",
    "aria_llm_tokens_input_total": "counter",
    "aria_llm_tokens_output_total": "counter",
    "aria_llm_token_cost_estimate_total": "counter",
    "aria_llm_circuit_breaker_state": "gauge",
    "aria_llm_thinking_duration_seconds": "histogram",
    "aria_agent_routing_total": "counter",
    "aria_agent_routing_duration_seconds": "histogram",
    "aria_agent_pheromone_score": "gauge",
    "aria_agent_tasks_total": "counter",
    "aria_agents_active": "gauge",
    "aria_sessions_active": "gauge",
    "aria_sessions_created_total": "counter",
    "aria_sessions_messages_total": "counter",
    "aria_session_duration_seconds": "histogram",
    "aria_scheduler_jobs": "gauge",
    "aria_scheduler_executions_total": "counter",
    "aria_scheduler_execution_duration_seconds": "histogram",
    "aria_scheduler_last_run_timestamp": "gauge",
    "aria_skill_executions_total": "counter",
    "aria_skill_execution_duration_seconds": "histogram",
    "aria_db_queries_total": "counter",
    "aria_db_query_duration_seconds": "histogram",
    "aria_db_pool_size": "gauge",
    "aria_db_pool_available": "gauge",
    "aria_errors_total": "counter",
    "aria_memory_rss_bytes": "gauge",
    "aria_memory_gc_heap_bytes": "gauge",
    "process_cpu_seconds_total": "counter",
    "process_resident_memory_bytes": "gauge",
    "process_virtual_memory_bytes": "gauge",
    "process_start_time_seconds": "gauge",
    "process_open_fds": "gauge",
    "process_max_fds": "gauge",
    "dotnet_gc_collections_total": "counter",
    "dotnet_gc_heap_size_bytes": "gauge",
    "dotnet_gc_allocated_bytes_total": "counter",
    "dotnet_threadpool_threads": "gauge",
    "dotnet_threadpool_queue_length": "gauge",
    "dotnet_lock_contentions_total": "counter",
}
ALERTS = ["AriaEngineDown", "AriaHighErrorRate", "AriaLlmCircuitBreakerOpen",
          "AriaSchedulerJobStale", "AriaHighMemory"]

SELECTOR = re.compile(r"\b((?:aria|process|dotnet)_[A-Za-z0-9_]*)\s*(\{[^}]*\})?")
STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
SCOPE = ('job=~"$job"', 'instance=~"$instance"')

problems = []


def problem(msg):
    problems.append(msg)


def series_names(family, kind):
    if kind == "histogram":
        return [family + s for s in ("_bucket", "_sum", "_count")]
    return [family]


SERIES = {s: fam for fam, kind in CATALOG.items() for s in series_names(fam, kind)}


def check_expr(where, expr, scoped):
    used = set()
    # Blank out string literals (same length) so label values such as "aria_engine" are not names.
    masked = STRING.sub(lambda m: '"' + "_" * (len(m.group(0)) - 2) + '"', expr)
    for m in SELECTOR.finditer(masked):
        name = m.group(1)
        matchers = expr[m.start(2):m.end(2)] if m.group(2) else ""
        if name not in SERIES:
            problem(f"{where}: {name} is not a series of the catalog")
            continue
        if CATALOG[SERIES[name]] == "histogram" and not name.endswith("_bucket") and "histogram_quantile" in expr:
            problem(f"{where}: histogram_quantile needs {SERIES[name]}_bucket")
        used.add(SERIES[name])
        compact = matchers.replace(" ", "")
        for s in SCOPE if scoped else ():
            if s not in compact:
                problem(f"{where}: selector {name}{matchers} lacks {s}")
    if "histogram_quantile" in expr and not re.search(r"sum\s+by\s*\([^)]*\ble\b", expr):
        problem(f"{where}: histogram_quantile over un-aggregated buckets (use sum by (le, ...))")
    return used


def overlaps(a, b):
    return (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
            and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])


def check_dashboard():
    path = os.path.join(ROOT, "dashboards", "aria_engine.json")
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    if "dashboard" in d:
        problem("dashboard: the file must be the bare dashboard object, not the API wrapper")
    if d.get("uid") != UID:
        problem(f"dashboard: uid must be {UID}")
    if d.get("id") is not None:
        problem("dashboard: id must be null (Grafana assigns it)")
    if not isinstance(d.get("schemaVersion"), int) or not 36 <= d["schemaVersion"] <= 41:
        problem("dashboard: schemaVersion should be around 39")

    variables = {v.get("name"): v for v in d.get("templating", {}).get("list", [])}
    ds = variables.get("datasource", {})
    if ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        problem("templating: needs a `datasource` variable of type datasource, query prometheus")
    for name in ("job", "instance"):
        v = variables.get(name, {})
        if v.get("type") != "query" or v.get("datasource") != DS or "label_values" not in json.dumps(v.get("query")):
            problem(f"templating: needs a `{name}` label_values query variable on ${{datasource}}")

    ids, placed, used, count = set(), [], set(), 0
    everything = []
    for p in d.get("panels", []):
        everything.append(p)
        everything.extend(p.get("panels", []) or [])
    for p in everything:
        where = f"panel {p.get('id')} ({p.get('title')})"
        if p.get("id") in ids or not isinstance(p.get("id"), int):
            problem(f"{where}: id missing or not unique")
        ids.add(p.get("id"))
        g = p.get("gridPos", {})
        if any(not isinstance(g.get(k), int) for k in "xywh") or g["x"] < 0 or g["x"] + g["w"] > 24 or g["w"] < 1 or g["h"] < 1:
            problem(f"{where}: gridPos {g} outside the 24-column grid")
            continue
        for q, qg in placed:
            if overlaps(g, qg):
                problem(f"{where}: gridPos overlaps panel {q.get('id')} ({q.get('title')})")
        placed.append((p, g))
        if p.get("type") == "row":
            continue  # layout only: no query, no unit
        count += 1
        if p.get("datasource") != DS:
            problem(f"{where}: datasource must be {DS}")
        if not p.get("fieldConfig", {}).get("defaults", {}).get("unit"):
            problem(f"{where}: no fieldConfig.defaults.unit")
        if not p.get("targets"):
            problem(f"{where}: no targets")
        refs = set()
        for t in p.get("targets", []):
            if t.get("datasource") != DS:
                problem(f"{where} target {t.get('refId')}: datasource must be {DS}")
            if t.get("refId") in refs:
                problem(f"{where}: duplicate refId {t.get('refId')}")
            refs.add(t.get("refId"))
            expr = t.get("expr", "")
            if not expr.strip() or "\n" in expr:
                problem(f"{where} target {t.get('refId')}: empty or multi-line expr")
            used |= check_expr(f"{where} target {t.get('refId')}", expr, scoped=True)
    return count, used


def check_alerts():
    with open(os.path.join(ROOT, "prometheus", "alerts.yml"), encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    rules = {r["alert"]: r for g in doc["groups"] for r in g["rules"] if "alert" in r}
    for name in ALERTS:
        r = rules.get(name)
        if r is None:
            problem(f"alerts: {name} missing")
            continue
        if r.get("labels", {}).get("severity") not in ("critical", "warning", "info"):
            problem(f"alerts: {name} needs a severity label")
        for a in ("summary", "description"):
            if not r.get("annotations", {}).get(a):
                problem(f"alerts: {name} needs a {a} annotation")
        check_expr(f"alert {name}", r["expr"], scoped=False)
        if 'job="aria_engine"' not in r["expr"]:
            problem(f"alerts: {name} should select job=\"aria_engine\"")
    return len(rules)


def check_fake_target():
    out = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "fake_target.py"), "--once"],
                         capture_output=True, text=True, check=True).stdout
    families = dict(re.findall(r"^# TYPE (\S+) (\S+)$", out, re.M))
    if families != CATALOG:
        missing = sorted(set(CATALOG) - set(families))
        extra = sorted(set(families) - set(CATALOG))
        wrong = sorted(k for k in set(CATALOG) & set(families) if CATALOG[k] != families[k])
        problem(f"fake_target: differs from the catalog: missing {missing}, extra {extra}, wrong type {wrong}")
    return len(families)


def main():
    panels, used = check_dashboard()
    alerts = check_alerts()
    families = check_fake_target()
    unused = sorted(set(CATALOG) - used)
    for p in problems:
        print(f"FAIL {p}")
    print(f"dashboard: {panels} panels use {len(used)} of {len(CATALOG)} catalog families"
          f" (not shown: {', '.join(unused) or 'none'}); alerts: {alerts} rules; fake target: {families} families")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
