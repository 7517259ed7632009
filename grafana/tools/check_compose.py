#!/usr/bin/python3
"""Validate docker-compose.yml and the Grafana provisioning files without Docker.

    check_compose.py        prints problems, exits 1 on any

Checks: the YAML files parse; every bind-mounted host path, build context and Dockerfile exists
(relative paths are taken from the compose file's directory, as Compose does); the dashboard
provider's path is the container side of the ./dashboards mount; the datasource URL names the
prometheus service; every scrape target of prometheus/prometheus.yml is a compose service; every
service the dashboard or Prometheus needs is there; docker-compose.native.yml overrides Prometheus' command alone,
keeping the base flags and turning native histograms and exemplar storage on.
"""
import os
import sys
from urllib.parse import urlparse

import yaml

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
problems = []


def load(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        return yaml.safe_load(f)


def host_path(p):
    return os.path.normpath(os.path.join(ROOT, os.path.expanduser(p)))


def mounts(service):
    """(source, target) of each bind mount of a service, short or long syntax."""
    for v in service.get("volumes", []) or []:
        if isinstance(v, str):
            parts = v.split(":")
            if len(parts) >= 2 and (parts[0].startswith((".", "/", "~"))):
                yield parts[0], parts[1]
        elif isinstance(v, dict) and v.get("type") == "bind":
            yield v["source"], v["target"]


def main():
    compose = load("docker-compose.yml")
    services = compose.get("services", {})
    for name in ("prometheus", "grafana", "aria-engine-1", "aria-engine-2"):
        if name not in services:
            problems.append(f"compose: service {name} missing")

    count = 0
    targets_of = {}
    for name, svc in services.items():
        for src, dst in mounts(svc):
            count += 1
            targets_of.setdefault(name, {})[dst] = src
            if not os.path.exists(host_path(src)):
                problems.append(f"compose: {name} mounts {src}, which does not exist")
        build = svc.get("build")
        if build:
            ctx = build if isinstance(build, str) else build.get("context", ".")
            count += 1
            if not os.path.isdir(host_path(ctx)):
                problems.append(f"compose: {name} build context {ctx} does not exist")
            if isinstance(build, dict) and build.get("dockerfile"):
                count += 1
                df = os.path.join(host_path(ctx), build["dockerfile"])
                if not os.path.isfile(df):
                    problems.append(f"compose: {name} Dockerfile {build['dockerfile']} does not exist in {ctx}")

    # Grafana: the provider reads the directory where ./dashboards is mounted.
    provider = load("provisioning/dashboards/aria.yml")["providers"][0]
    gmounts = {os.path.normpath(host_path(src)): dst for dst, src in targets_of.get("grafana", {}).items()}
    dash_dst = gmounts.get(os.path.join(ROOT, "dashboards"))
    if dash_dst is None:
        problems.append("compose: grafana does not mount ./dashboards")
    elif provider.get("options", {}).get("path") != dash_dst:
        problems.append(f"provisioning: dashboard provider path {provider.get('options', {}).get('path')} "
                        f"is not where compose mounts ./dashboards ({dash_dst})")
    for sub in ("datasources", "dashboards"):
        if gmounts.get(os.path.join(ROOT, "provisioning", sub)) != f"/etc/grafana/provisioning/{sub}" and \
                gmounts.get(os.path.join(ROOT, "provisioning")) != "/etc/grafana/provisioning":
            problems.append(f"compose: grafana does not mount provisioning/{sub} at /etc/grafana/provisioning/{sub}")

    ds = load("provisioning/datasources/prometheus.yml")["datasources"][0]
    url = urlparse(ds.get("url", ""))
    if ds.get("type") != "prometheus" or ds.get("uid") != "prometheus":
        problems.append("provisioning: datasource must be type prometheus, uid prometheus")
    if url.hostname not in services:
        problems.append(f"provisioning: datasource URL host {url.hostname} is not a compose service")

    # Prometheus: config mounted where the command reads it; each target is a compose service.
    pmounts = {os.path.normpath(host_path(src)): dst for dst, src in targets_of.get("prometheus", {}).items()}
    if pmounts.get(os.path.join(ROOT, "prometheus")) != "/etc/prometheus":
        problems.append("compose: prometheus must mount ./prometheus at /etc/prometheus")
    prom = load("prometheus/prometheus.yml")
    for job in prom.get("scrape_configs", []):
        for sc in job.get("static_configs", []):
            for t in sc.get("targets", []):
                host = t.rsplit(":", 1)[0]
                if host != "localhost" and host not in services:
                    problems.append(f"prometheus.yml: target {t} is not a compose service")

    # The native mode: an override of Prometheus' command alone, keeping the base command and adding the feature flags.
    native = load("docker-compose.native.yml").get("services", {})
    if set(native) != {"prometheus"}:
        problems.append(f"docker-compose.native.yml: overrides {sorted(native)}, not prometheus alone")
    command = (native.get("prometheus") or {}).get("command") or []
    base = services.get("prometheus", {}).get("command") or []
    for flag in base:
        if not flag.startswith("--enable-feature=") and flag not in command:
            problems.append(f"docker-compose.native.yml: the command drops the base flag {flag}")
    features = {f for flag in command if flag.startswith("--enable-feature=") for f in flag.split("=", 1)[1].split(",")}
    for feature in ("native-histograms", "exemplar-storage"):
        if feature not in features:
            problems.append(f"docker-compose.native.yml: --enable-feature lacks {feature}")

    for p in problems:
        print(f"FAIL {p}")
    print(f"compose: {len(services)} services, {count} host paths checked")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
