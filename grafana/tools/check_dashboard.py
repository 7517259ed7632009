#!/usr/bin/python3
"""Static checks of the shipped Grafana/Prometheus files against the engine's metric catalog.

    check_dashboard.py EXPOSITION     checks grafana/ next to this tool; prints problems, exits 1 on any

EXPOSITION is a text 0.0.4 scrape of the demo engine (check.sh takes one): its `# TYPE` lines are the catalog, so the
catalog has one definition, the engine's own, and nothing here can drift from it.

Dashboard (dashboards/aria_engine.json): a bare dashboard object (no {"dashboard": ...} wrapper),
stable uid, schemaVersion, the datasource/job/instance variables; every panel other than a row
has a unique id, a gridPos inside the 24-column grid that overlaps no other panel, the
${datasource} datasource on the panel and on each target, a unit, and at least one target; every
metric selector names a catalog metric and carries job=~"$job",instance=~"$instance"; a native histogram (the bare
name of a histogram family) is only queried beside its classic buckets, so that the panel works in both modes.
Alerts (prometheus/alerts.yml): the five alerts, each with a severity label, summary and description,
reading only catalog metrics or `up`.
"""
import json
import os
import re
import sys

import yaml

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DS = {"type": "prometheus", "uid": "${datasource}"}
UID = "aria-engine-prod"

ALERTS = ["AriaEngineDown", "AriaHighErrorRate", "AriaLlmCircuitBreakerOpen",
          "AriaSchedulerJobStale", "AriaHighMemory"]

# Filled from the exposition by load_catalog: family name -> type, and the selector of names with the catalog's prefixes.
CATALOG = {}
SERIES = {}
SELECTOR = None
STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
SCOPE = ('job=~"$job"', 'instance=~"$instance"')

problems = []


def problem(msg):
    problems.append(msg)


def series_names(family, kind):
    if kind == "histogram":
        # The bare name is the native histogram Prometheus stores when it ingests native buckets.
        return [family] + [family + s for s in ("_bucket", "_sum", "_count")]
    return [family]


def load_catalog(path):
    """The families of a text 0.0.4 exposition (name -> type), from its # TYPE lines."""
    global SELECTOR
    with open(path, encoding="utf-8") as f:
        CATALOG.update(re.findall(r"^# TYPE (\S+) (\S+)$", f.read(), re.M))
    SERIES.update({s: fam for fam, kind in CATALOG.items() for s in series_names(fam, kind)})
    prefixes = sorted({name.split("_", 1)[0] for name in CATALOG})
    SELECTOR = re.compile(r"\b((?:" + "|".join(map(re.escape, prefixes)) + r")_[A-Za-z0-9_]*)\s*(\{[^}]*\})?")
    return len(CATALOG)


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
        if CATALOG[SERIES[name]] == "histogram" and name.endswith(("_sum", "_count")) and "histogram_quantile" in expr:
            problem(f"{where}: histogram_quantile needs {SERIES[name]}_bucket")
        if name == SERIES[name] and CATALOG[name] == "histogram" and name + "_bucket" not in expr:
            # Native only: empty on a Prometheus that stores classic buckets (native histograms off).
            problem(f"{where}: the native {name} needs its classic {name}_bucket beside it (`classic or native`)")
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


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if load_catalog(argv[1]) == 0 or "aria_build_info" not in CATALOG:
        print(f"FAIL {argv[1]} holds no catalog (no # TYPE aria_build_info line)")
        return 1
    panels, used = check_dashboard()
    alerts = check_alerts()
    unused = sorted(set(CATALOG) - used)
    for p in problems:
        print(f"FAIL {p}")
    print(f"dashboard: {panels} panels use {len(used)} of the demo's {len(CATALOG)} families"
          f" (not shown: {', '.join(unused) or 'none'}); alerts: {alerts} rules")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
