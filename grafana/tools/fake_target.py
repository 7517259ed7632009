#!/usr/bin/python3
"""A stand-in for the Aria engine's /metrics endpoint, for proving dashboard queries without it.

Serves Prometheus text format 0.0.4 on 127.0.0.1:PORT with plausible series for every metric of the
engine's catalog (several label values each, histograms with all their buckets). Every scrape
advances the counters and adds histogram observations, so rate() and histogram_quantile() have
something to work on after two scrapes.

    fake_target.py PORT          serve until SIGTERM/SIGINT
    fake_target.py --once        print one exposition on stdout (for `promtool check metrics`)

It proves that the dashboard's expressions are well-formed and match the catalog's names and labels;
it does not prove that the engine exports them: the CI test does that against the real demo.
"""
import http.server
import math
import os
import random
import signal
import sys
import threading
import time

MODELS = ["gpt-4o", "claude-sonnet-4", "kimi-k2"]
METHODS = ["chat", "stream", "tools"]
AGENTS = ["aria-main", "researcher", "coder"]
SKILLS = ["web_search", "summarize", "code_exec"]
JOBS = ["heartbeat", "memory_consolidation", "nightly_backup"]
DB_OPS = ["select", "insert", "update", "delete"]
ROLES = ["user", "assistant", "system"]
ERRORS = [("TimeoutException", "llm"), ("HttpRequestException", "chat"), ("NpgsqlException", "db")]

# (name, help, label names, buckets, label value tuples, typical observation in seconds)
HISTOGRAMS = [
    ("aria_request_duration_seconds", "Request duration in seconds.", ("method",),
     [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], [(m,) for m in METHODS], 0.3),
    ("aria_llm_request_duration_seconds", "LLM request duration (time to first token when streaming).", ("model",),
     [0.1, 0.5, 1, 2, 5, 10, 30, 60], [(m,) for m in MODELS], 2.0),
    ("aria_llm_thinking_duration_seconds", "Duration of the thinking/reasoning phase.", ("model",),
     [0.5, 1, 2, 5, 10, 30, 60, 120], [(m,) for m in MODELS], 6.0),
    ("aria_agent_routing_duration_seconds", "Time to make a routing decision.", (),
     [0.001, 0.005, 0.01, 0.05, 0.1, 0.5], [()], 0.008),
    ("aria_session_duration_seconds", "Session duration from creation to last message.", (),
     [60, 300, 600, 1800, 3600, 7200, 86400], [()], 900.0),
    ("aria_scheduler_execution_duration_seconds", "Scheduler job execution duration.", ("job_id",),
     [0.1, 0.5, 1, 5, 10, 30, 60, 300], [(j,) for j in JOBS], 4.0),
    ("aria_skill_execution_duration_seconds", "Skill execution duration.", ("skill_name",),
     [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30], [(s,) for s in SKILLS], 0.4),
    ("aria_db_query_duration_seconds", "Database query duration.", ("operation",),
     [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1], [(o,) for o in DB_OPS], 0.006),
]

# (name, help, label names, label value tuples, mean increment per scrape)
COUNTERS = [
    ("aria_requests_total", "Total requests processed.", ("method", "status"),
     [(m, s) for m in METHODS for s in ("200", "500")], 20),
    ("aria_llm_requests_total", "Total LLM API calls.", ("model", "status"),
     [(m, s) for m in MODELS for s in ("success", "error")], 6),
    ("aria_llm_tokens_input_total", "Total input tokens sent to the LLM.", ("model",), [(m,) for m in MODELS], 4000),
    ("aria_llm_tokens_output_total", "Total output tokens received from the LLM.", ("model",), [(m,) for m in MODELS], 900),
    ("aria_llm_token_cost_estimate_total", "Estimated token cost in USD.", ("model",), [(m,) for m in MODELS], 0.02),
    ("aria_agent_routing_total", "Total agent routing decisions.", ("selected_agent",), [(a,) for a in AGENTS], 8),
    ("aria_agent_tasks_total", "Total tasks executed by each agent.", ("agent_id", "status"),
     [(a, s) for a in AGENTS for s in ("success", "error")], 5),
    ("aria_sessions_created_total", "Total sessions created.", (), [()], 2),
    ("aria_sessions_messages_total", "Total messages across all sessions.", ("role",), [(r,) for r in ROLES], 15),
    ("aria_scheduler_executions_total", "Total scheduler job executions.", ("job_id", "status"),
     [(j, s) for j in JOBS for s in ("success", "error")], 1),
    ("aria_skill_executions_total", "Total skill executions.", ("skill_name", "status"),
     [(k, s) for k in SKILLS for s in ("success", "error")], 4),
    ("aria_db_queries_total", "Total database queries.", ("operation",), [(o,) for o in DB_OPS], 30),
    ("aria_errors_total", "Total errors by type and component.", ("error_type", "component"), ERRORS, 1),
    ("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", (), [()], 0.15),
    ("dotnet_gc_collections_total", "Garbage collections by generation.", ("generation",),
     [("0",), ("1",), ("2",)], 1),
    ("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap.", (), [()], 4_000_000),
    ("dotnet_lock_contentions_total", "Monitor lock contentions.", (), [()], 3),
]


def fmt(v):
    """A number as the text format accepts it: integers plainly, floats round-trip."""
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) < 1e15):
        return str(int(v))
    return repr(float(v))


def labels(names, values, extra=()):
    pairs = list(zip(names, values)) + list(extra)
    if not pairs:
        return ""
    return "{" + ",".join(f'{k}="{v}"' for k, v in pairs) + "}"


class Engine:
    """The state of one imaginary engine process; advance() is one scrape interval of activity."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.start = time.time() - 3600
        self.counters = {(c[0], lv): 0.0 for c in COUNTERS for lv in c[3]}
        self.hist = {}
        for name, _, _, buckets, lvs, _ in HISTOGRAMS:
            for lv in lvs:
                self.hist[(name, lv)] = [[0] * len(buckets), 0, 0.0]  # bucket counts, count, sum
        now = time.time()
        self.last_run = {j: now - age for j, age in zip(JOBS, (30, 900, 5400))}

    def advance(self):
        r = self.rng
        for name, _, lnames, lvs, mean in COUNTERS:
            for lv in lvs:
                scale = 0.1 if "error" in lv or "500" in lv else 1.0
                inc = mean * scale * r.uniform(0.5, 1.5)
                if isinstance(mean, int) and mean >= 1:
                    inc = max(1, round(inc))
                self.counters[(name, lv)] += inc
        for name, _, _, buckets, lvs, typical in HISTOGRAMS:
            for lv in lvs:
                h = self.hist[(name, lv)]
                for _ in range(r.randint(1, 5)):
                    # log-normal around the typical value, capped under the largest bucket
                    v = min(typical * math.exp(r.gauss(0, 0.8)), buckets[-1] * 0.9)
                    h[1] += 1
                    h[2] += v
                    for i, b in enumerate(buckets):
                        if v <= b:
                            h[0][i] += 1
        self.last_run["heartbeat"] = time.time()

    def exposition(self):
        with self.lock:
            self.advance()
            return self._render()

    def _render(self):
        r = self.rng
        out = []

        def family(name, kind, help_text):
            out.append(f"# HELP {name} {help_text}")
            out.append(f"# TYPE {name} {kind}")

        family("aria_build_info", "gauge", "Aria Blue build information.")
        out.append('aria_build_info{version="2.0.0",dotnet="10.0.0",engine="aria_engine"} 1')

        for name, help_text, lnames, lvs, _ in COUNTERS:
            family(name, "counter", help_text)
            for lv in lvs:
                out.append(f"{name}{labels(lnames, lv)} {fmt(self.counters[(name, lv)])}")

        for name, help_text, lnames, buckets, lvs, _ in HISTOGRAMS:
            family(name, "histogram", help_text)
            for lv in lvs:
                counts, count, total = self.hist[(name, lv)]
                for b, c in zip(buckets, counts):
                    out.append(f"{name}_bucket{labels(lnames, lv, [('le', f'{b:g}')])} {c}")
                out.append(f"{name}_bucket{labels(lnames, lv, [('le', '+Inf')])} {count}")
                out.append(f"{name}_sum{labels(lnames, lv)} {fmt(total)}")
                out.append(f"{name}_count{labels(lnames, lv)} {count}")

        gauges = [
            ("aria_requests_in_progress", "Requests currently being processed.", ("method",),
             [((m,), r.randint(0, 6)) for m in METHODS]),
            ("aria_llm_circuit_breaker_state", "Circuit breaker state (0=closed, 1=open, 2=half-open).", ("model",),
             list(zip([(m,) for m in MODELS], (0, 1, 2)))),
            ("aria_agent_pheromone_score", "Current pheromone score of each agent.", ("agent_id",),
             [((a,), round(r.uniform(0.2, 1.0), 3)) for a in AGENTS]),
            ("aria_agents_active", "Number of active agents.", (), [((), 3)]),
            ("aria_sessions_active", "Number of active sessions.", (), [((), r.randint(5, 40))]),
            ("aria_scheduler_jobs", "Registered scheduler jobs by status.", ("status",),
             [(("active",), 3), (("paused",), 1)]),
            ("aria_scheduler_last_run_timestamp", "Unix time of the last successful run of each job.", ("job_id",),
             [((j,), round(t, 3)) for j, t in self.last_run.items()]),
            ("aria_db_pool_size", "Current database connection pool size.", (), [((), 20)]),
            ("aria_db_pool_available", "Available database connections.", (), [((), r.randint(5, 20))]),
            ("aria_memory_rss_bytes", "Resident set size in bytes.", (), [((), 180_000_000 + r.randint(0, 20_000_000))]),
            ("aria_memory_gc_heap_bytes", "Bytes in use on the managed GC heap.", (), [((), 60_000_000 + r.randint(0, 10_000_000))]),
            ("process_resident_memory_bytes", "Resident memory size in bytes.", (), [((), 180_000_000 + r.randint(0, 20_000_000))]),
            ("process_virtual_memory_bytes", "Virtual memory size in bytes.", (), [((), 274_877_906_944)]),
            ("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", (), [((), round(self.start, 3))]),
            ("process_open_fds", "Number of open file descriptors.", (), [((), r.randint(80, 120))]),
            ("process_max_fds", "Maximum number of open file descriptors.", (), [((), 1048576)]),
            ("dotnet_gc_heap_size_bytes", "Managed heap size in bytes.", (), [((), 60_000_000 + r.randint(0, 10_000_000))]),
            ("dotnet_threadpool_threads", "Thread-pool threads.", (), [((), r.randint(4, 12))]),
            ("dotnet_threadpool_queue_length", "Work items queued to the thread pool.", (), [((), r.randint(0, 3))]),
        ]
        for name, help_text, lnames, samples in gauges:
            family(name, "gauge", help_text)
            for lv, v in samples:
                out.append(f"{name}{labels(lnames, lv)} {fmt(v)}")
        return ("\n".join(out) + "\n").encode()


class Handler(http.server.BaseHTTPRequestHandler):
    engine = None

    def do_GET(self):
        if self.path.split("?")[0] != "/metrics":
            self.send_error(404)
            return
        body = self.engine.exposition()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main(argv):
    if argv[1:] == ["--once"]:
        sys.stdout.buffer.write(Engine(1).exposition())
        return 0
    if len(argv) != 2 or not argv[1].isdigit():
        print(__doc__, file=sys.stderr)
        return 2
    port = int(argv[1])
    Handler.engine = Engine(port)
    server = http.server.HTTPServer(("127.0.0.1", port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
