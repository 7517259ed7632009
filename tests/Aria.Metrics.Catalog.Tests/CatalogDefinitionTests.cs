using Aria.Metrics.Catalog;

namespace Aria.Metrics.Catalog.Tests;

/// <summary>The families of a fresh catalog against the ticket's <c>AriaMetrics</c> class, transcribed by hand.</summary>
public sealed class CatalogDefinitionTests
{
    /// <summary>One family of the ticket: the name registered (a counter's with <c>_total</c>), type, help, labels, buckets.</summary>
    public sealed record Expected(string Name, MetricType Type, string Help, string[] Labels, double[]? Buckets = null);

    /// <summary>
    /// The ticket's 33 metrics, in its order. Two deviate on purpose: <c>aria_scheduler_jobs_total</c> (a gauge) is
    /// <c>aria_scheduler_jobs</c>, and <c>aria_memory_gc_objects</c> is <c>aria_memory_gc_heap_bytes</c>;
    /// <c>aria_build</c> gains the label <c>dotnet</c> in place of <c>python</c>.
    /// </summary>
    public static readonly Expected[] Ticket =
    [
        new("aria_build", MetricType.Info, "Aria Blue build information", ["version", "dotnet", "engine"]),
        new("aria_requests_total", MetricType.Counter, "Total requests processed", ["method", "status"]),
        new("aria_request_duration_seconds", MetricType.Histogram, "Request duration in seconds", ["method"],
            [0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0]),
        new("aria_requests_in_progress", MetricType.Gauge, "Number of requests currently being processed", ["method"]),
        new("aria_llm_requests_total", MetricType.Counter, "Total LLM API calls", ["model", "status"]),
        new("aria_llm_request_duration_seconds", MetricType.Histogram, "LLM request duration (time to first token for streaming)",
            ["model"], [0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0]),
        new("aria_llm_tokens_input_total", MetricType.Counter, "Total input tokens sent to LLM", ["model"]),
        new("aria_llm_tokens_output_total", MetricType.Counter, "Total output tokens received from LLM", ["model"]),
        new("aria_llm_token_cost_estimate_total", MetricType.Counter, "Estimated token cost in USD", ["model"]),
        new("aria_llm_circuit_breaker_state", MetricType.Gauge, "Circuit breaker state (0=closed, 1=open, 2=half-open)", ["model"]),
        new("aria_llm_thinking_duration_seconds", MetricType.Histogram, "Duration of thinking/reasoning phase", ["model"],
            [0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0]),
        new("aria_agent_routing_total", MetricType.Counter, "Total agent routing decisions", ["selected_agent"]),
        new("aria_agent_routing_duration_seconds", MetricType.Histogram, "Time to make routing decision", [],
            [0.001, 0.005, 0.01, 0.05, 0.1, 0.5]),
        new("aria_agent_pheromone_score", MetricType.Gauge, "Current pheromone score for each agent", ["agent_id"]),
        new("aria_agent_tasks_total", MetricType.Counter, "Total tasks executed by each agent", ["agent_id", "status"]),
        new("aria_agents_active", MetricType.Gauge, "Number of active agents", []),
        new("aria_sessions_active", MetricType.Gauge, "Number of active sessions", []),
        new("aria_sessions_created_total", MetricType.Counter, "Total sessions created", []),
        new("aria_sessions_messages_total", MetricType.Counter, "Total messages across all sessions", ["role"]),
        new("aria_session_duration_seconds", MetricType.Histogram, "Session duration from creation to last message", [],
            [60, 300, 600, 1800, 3600, 7200, 86400]),
        new("aria_scheduler_jobs", MetricType.Gauge, "Total registered scheduler jobs", ["status"]),
        new("aria_scheduler_executions_total", MetricType.Counter, "Total scheduler job executions", ["job_id", "status"]),
        new("aria_scheduler_execution_duration_seconds", MetricType.Histogram, "Scheduler job execution duration", ["job_id"],
            [0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0]),
        new("aria_scheduler_last_run_timestamp", MetricType.Gauge, "Unix timestamp of last successful run for each job", ["job_id"]),
        new("aria_skill_executions_total", MetricType.Counter, "Total skill executions", ["skill_name", "status"]),
        new("aria_skill_execution_duration_seconds", MetricType.Histogram, "Skill execution duration", ["skill_name"],
            [0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0]),
        new("aria_db_queries_total", MetricType.Counter, "Total database queries", ["operation"]),
        new("aria_db_query_duration_seconds", MetricType.Histogram, "Database query duration", ["operation"],
            [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0]),
        new("aria_db_pool_size", MetricType.Gauge, "Current database connection pool size", []),
        new("aria_db_pool_available", MetricType.Gauge, "Available database connections", []),
        new("aria_errors_total", MetricType.Counter, "Total errors by type", ["error_type", "component"]),
        new("aria_memory_rss_bytes", MetricType.Gauge, "Resident Set Size in bytes", []),
        new("aria_memory_gc_heap_bytes", MetricType.Gauge, "Bytes of the managed heap after the last garbage collection", []),
    ];

    public static TheoryData<string> TicketNames => [.. Ticket.Select(e => e.Name)];

    [Fact]
    public void The_transcription_holds_the_ticket_s_33_metrics() => Assert.Equal(33, Ticket.DistinctBy(e => e.Name).Count());

    [Theory]
    [MemberData(nameof(TicketNames))]
    public void Each_family_has_the_ticket_s_type_help_labels_and_buckets(string name)
    {
        Expected expected = Ticket.Single(e => e.Name == name);
        var registry = new MetricRegistry();
        _ = AriaMetrics.For(registry);

        MetricFamily family = Assert.Single(registry.Families, f => f.Name == name);
        Assert.Equal(expected.Type, family.Type);
        Assert.Equal(expected.Help, family.Help);
        Assert.Equal(expected.Labels, family.LabelNames);
        if (expected.Buckets is null)
        {
            Assert.IsNotType<Histogram>(family);
        }
        else
        {
            Assert.Equal(expected.Buckets, Assert.IsType<Histogram>(family).UpperBounds.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(TicketNames))]
    public void Each_family_s_HELP_and_TYPE_lines_are_in_the_text_exposition(string name)
    {
        Expected expected = Ticket.Single(e => e.Name == name);
        string text = Render.Text(AriaMetrics.For(new MetricRegistry()).Registry);

        // Text 0.0.4 has no info type: an info family is the gauge <name>_info.
        (string exposed, string type) = expected.Type switch
        {
            MetricType.Counter => (expected.Name, "counter"),
            MetricType.Gauge => (expected.Name, "gauge"),
            MetricType.Histogram => (expected.Name, "histogram"),
            _ => (expected.Name + "_info", "gauge"),
        };
        Assert.Contains($"# HELP {exposed} {expected.Help}\n# TYPE {exposed} {type}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_catalog_s_own_families_are_exactly_the_ticket_s()
    {
        var registry = new MetricRegistry();
        _ = AriaMetrics.For(registry);
        string[] own = [.. registry.Families.Select(f => f.Name).Where(n => n.StartsWith("aria_", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        Assert.Equal(Ticket.Select(e => e.Name).Order(StringComparer.Ordinal), own);
        Assert.DoesNotContain("aria_scheduler_jobs_total", own);
        Assert.DoesNotContain("aria_memory_gc_objects", own);
    }

    [Fact]
    public void The_catalog_also_registers_the_process_and_runtime_families()
    {
        var registry = new MetricRegistry();
        _ = AriaMetrics.For(registry);
        string[] names = [.. registry.Families.Select(f => f.Name)];
        Assert.Contains("dotnet_gc_collections_total", names);
        Assert.Contains("dotnet_lock_contentions_total", names);
        if (OperatingSystem.IsLinux())
        {
            Assert.Contains("process_cpu_seconds_total", names);
            Assert.Contains("process_max_fds", names);
        }

        Assert.Contains("metrics_collect_callback_errors_total", names);
        Assert.Contains("metrics_collect_callback_timeouts_total", names);
        Assert.Equal(33 + 6 + (OperatingSystem.IsLinux() ? 6 : 0) + 2, names.Length);
    }

    [Fact]
    public void Build_info_carries_the_version_the_runtime_and_the_engine()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        string? configured = Environment.GetEnvironmentVariable("ARIA_VERSION");
        string version = string.IsNullOrWhiteSpace(configured) ? "2.0.0" : configured;
        Assert.Equal([version, Environment.Version.ToString(), "aria_engine"], metrics.BuildInfo.Values);

        Assert.Contains(
            $"aria_build_info{{version=\"{version}\",dotnet=\"{Environment.Version}\",engine=\"aria_engine\"}} 1\n",
            Render.Text(metrics.Registry),
            StringComparison.Ordinal);
        string openMetrics = Render.OpenMetrics(metrics.Registry);
        Assert.Contains("# HELP aria_build Aria Blue build information\n# TYPE aria_build info\n", openMetrics, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registry_has_one_catalog_with_one_price_table_and_registers_nothing_twice()
    {
        var registry = new MetricRegistry();
        var first = AriaMetrics.For(registry);
        int families = registry.Families.Count;
        first.LlmPrices.Set("model-a", new LlmPrice(1, 2));

        var second = AriaMetrics.For(registry);

        Assert.Same(first, second);
        Assert.True(second.LlmPrices.TryGetPrice("model-a", out _));
        Assert.Equal(families, registry.Families.Count);
        Assert.NotSame(first, AriaMetrics.For(new MetricRegistry()));
    }

    [Fact]
    public void The_catalog_registers_the_process_runtime_and_memory_callbacks_once()
    {
        var registry = new MetricRegistry();
        _ = AriaMetrics.For(registry);
        _ = AriaMetrics.For(registry);

        // The process collector (Linux only), the runtime collector and the catalog's memory gauges.
        Assert.Equal(OperatingSystem.IsLinux() ? 3 : 2, registry.CollectCallbackCount);
    }

    [Fact]
    public void The_default_catalog_lives_on_the_default_registry()
    {
        Assert.Same(MetricRegistry.Default, AriaMetrics.Default.Registry);
        Assert.Same(AriaMetrics.For(MetricRegistry.Default), AriaMetrics.Default);
    }
}
