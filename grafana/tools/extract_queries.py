#!/usr/bin/python3
"""Print the PromQL expression of every target of every panel of a Grafana dashboard, one per line.

    extract_queries.py [DASHBOARD_JSON] [--raw] [--with-panel]

DASHBOARD_JSON defaults to grafana/dashboards/aria_engine.json next to this tool. Panels nested in
collapsed rows are included; hidden targets too. Dashboard variables are substituted so that the
output can be sent to Prometheus' /api/v1/query as is:

    $job, ${job}, $instance, ${instance}  ->  .+      (the variables' "All" value)
    $__rate_interval, $__interval          ->  5m / 1m
    $__range                               ->  1h

--raw prints the expressions unsubstituted; --with-panel prefixes each line with
"<panel id>\t<refId>\t<panel title>\t". Exits 1 if a substituted expression still holds a `$`
(a variable this tool does not know) or spans several lines.
"""
import json
import os
import re
import sys

DEFAULT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dashboards", "aria_engine.json")

SUBSTITUTIONS = {
    "job": ".+",
    "instance": ".+",
    "__rate_interval": "5m",
    "__interval": "1m",
    "__range": "1h",
}
VARIABLE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)")


def substitute(expr):
    def repl(m):
        name = m.group(1) or m.group(2)
        return SUBSTITUTIONS.get(name, m.group(0))
    return VARIABLE.sub(repl, expr)


def panels(dashboard):
    """Every panel, depth first, including those inside (collapsed) rows."""
    for p in dashboard.get("panels", []):
        yield p
        for inner in p.get("panels", []) or []:
            yield inner


def targets(dashboard):
    for p in panels(dashboard):
        for t in p.get("targets", []) or []:
            expr = t.get("expr")
            if expr:
                yield p, t, expr


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    flags = {a for a in argv[1:] if a.startswith("--")}
    unknown = flags - {"--raw", "--with-panel"}
    if unknown or len(args) > 1:
        print(__doc__, file=sys.stderr)
        return 2
    path = args[0] if args else DEFAULT
    with open(path, encoding="utf-8") as f:
        dashboard = json.load(f)
    if "dashboard" in dashboard and "panels" not in dashboard:
        dashboard = dashboard["dashboard"]  # accept the HTTP API wrapper as well

    status = 0
    for p, t, expr in targets(dashboard):
        out = expr if "--raw" in flags else substitute(expr)
        if "--raw" not in flags and "$" in out:
            print(f"panel {p.get('id')} ({p.get('title')}): unknown variable left in: {out}", file=sys.stderr)
            status = 1
        if "\n" in out:
            print(f"panel {p.get('id')} ({p.get('title')}): expression spans several lines", file=sys.stderr)
            status = 1
            out = " ".join(out.split())
        if "--with-panel" in flags:
            out = f"{p.get('id')}\t{t.get('refId')}\t{p.get('title')}\t{out}"
        print(out)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
