using System.Runtime.CompilerServices;

namespace Aria.Metrics.Catalog;

/// <summary>
/// The Aria engine's metrics catalog: the 33 families of ticket S12-03 with its names, help texts, label names and
/// bucket bounds, plus one helper per thing the engine measures (see the <c>AriaMetrics.*.cs</c> files, one per layer).
/// Two names differ from the ticket, where it breaks a Prometheus rule: <c>aria_scheduler_jobs</c> (a gauge may not end
/// in <c>_total</c>) and <c>aria_memory_gc_heap_bytes</c> (.NET cannot count the objects its GC tracks).
/// </summary>
/// <remarks>
/// Creating a catalog also registers the <see cref="ProcessMetrics"/> and <see cref="RuntimeMetrics"/> families on its
/// registry and a collect callback that reads the memory gauges at each scrape.
/// </remarks>
public sealed partial class AriaMetrics
{
    /// <summary>The version written into <c>aria_build_info</c> when <c>ARIA_VERSION</c> is not set.</summary>
    public const string DefaultVersion = "2.0.0";

    // One catalog per registry: two would share the families but not the price table or the unpriced-model log.
    private static readonly ConditionalWeakTable<MetricRegistry, AriaMetrics> Catalogs = new();

    // The counters of what a request does take trace_id and span_id exemplars from the current activity.
    private static readonly CounterOptions Traced = new() { ExemplarsFromActivity = true };

    private readonly ProcessMetrics? _processMetrics;

    private AriaMetrics(MetricRegistry registry)
    {
        Registry = registry;

        // -- System info --
        BuildInfo = registry.CreateInfo("aria_build", "Aria Blue build information", "version", "dotnet", "engine");

        // -- Request metrics --
        RequestTotal = registry.CreateCounter("aria_requests_total", "Total requests processed", Traced, "method", "status");
        RequestDuration = registry.CreateHistogram(
            "aria_request_duration_seconds",
            "Request duration in seconds",
            Latency([0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0]),
            "method");
        RequestInProgress = registry.CreateGauge(
            "aria_requests_in_progress", "Number of requests currently being processed", "method");

        // -- LLM metrics --
        LlmRequestTotal = registry.CreateCounter("aria_llm_requests_total", "Total LLM API calls", Traced, "model", "status");
        LlmRequestDuration = registry.CreateHistogram(
            "aria_llm_request_duration_seconds",
            "LLM request duration (time to first token for streaming)",
            Latency([0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0]),
            "model");
        LlmTokensInput = registry.CreateCounter("aria_llm_tokens_input_total", "Total input tokens sent to LLM", "model");
        LlmTokensOutput = registry.CreateCounter(
            "aria_llm_tokens_output_total", "Total output tokens received from LLM", "model");
        LlmTokenCostEstimate = registry.CreateCounter(
            "aria_llm_token_cost_estimate_total", "Estimated token cost in USD", "model");
        LlmCircuitBreakerState = registry.CreateGauge(
            "aria_llm_circuit_breaker_state", "Circuit breaker state (0=closed, 1=open, 2=half-open)", "model");
        LlmThinkingDuration = registry.CreateHistogram(
            "aria_llm_thinking_duration_seconds",
            "Duration of thinking/reasoning phase",
            Latency([0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0]),
            "model");

        // -- Agent metrics --
        AgentRoutingTotal = registry.CreateCounter(
            "aria_agent_routing_total", "Total agent routing decisions", "selected_agent");
        AgentRoutingDuration = registry.CreateHistogram(
            "aria_agent_routing_duration_seconds",
            "Time to make routing decision",
            [0.001, 0.005, 0.01, 0.05, 0.1, 0.5]);
        AgentPheromoneScore = registry.CreateGauge(
            "aria_agent_pheromone_score", "Current pheromone score for each agent", "agent_id");
        AgentTaskTotal = registry.CreateCounter(
            "aria_agent_tasks_total", "Total tasks executed by each agent", "agent_id", "status");
        AgentActive = registry.CreateGauge("aria_agents_active", "Number of active agents");

        // -- Session metrics --
        SessionsActive = registry.CreateGauge("aria_sessions_active", "Number of active sessions");
        SessionsCreatedTotal = registry.CreateCounter("aria_sessions_created_total", "Total sessions created");
        SessionsMessagesTotal = registry.CreateCounter(
            "aria_sessions_messages_total", "Total messages across all sessions", "role");
        SessionDuration = registry.CreateHistogram(
            "aria_session_duration_seconds",
            "Session duration from creation to last message",
            [60, 300, 600, 1800, 3600, 7200, 86400]);

        // -- Scheduler metrics --
        // Deviation: the ticket's "aria_scheduler_jobs_total" is a gauge, and only counters may end in _total.
        SchedulerJobs = registry.CreateGauge("aria_scheduler_jobs", "Total registered scheduler jobs", "status");
        SchedulerExecutionsTotal = registry.CreateCounter(
            "aria_scheduler_executions_total", "Total scheduler job executions", Traced, "job_id", "status");
        SchedulerExecutionDuration = registry.CreateHistogram(
            "aria_scheduler_execution_duration_seconds",
            "Scheduler job execution duration",
            Latency([0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0]),
            "job_id");
        SchedulerLastRun = registry.CreateGauge(
            "aria_scheduler_last_run_timestamp", "Unix timestamp of last successful run for each job", "job_id");

        // -- Skill metrics --
        SkillExecutionTotal = registry.CreateCounter(
            "aria_skill_executions_total", "Total skill executions", Traced, "skill_name", "status");
        SkillExecutionDuration = registry.CreateHistogram(
            "aria_skill_execution_duration_seconds",
            "Skill execution duration",
            Latency([0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0]),
            "skill_name");

        // -- Database metrics --
        DbQueryTotal = registry.CreateCounter("aria_db_queries_total", "Total database queries", Traced, "operation");
        DbQueryDuration = registry.CreateHistogram(
            "aria_db_query_duration_seconds",
            "Database query duration",
            Latency([0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0]),
            "operation");
        DbPoolSize = registry.CreateGauge("aria_db_pool_size", "Current database connection pool size");
        DbPoolAvailable = registry.CreateGauge("aria_db_pool_available", "Available database connections");

        // -- Error metrics --
        ErrorsTotal = registry.CreateCounter("aria_errors_total", "Total errors by type", Traced, "error_type", "component");

        // -- Memory metrics --
        MemoryRssBytes = registry.CreateGauge("aria_memory_rss_bytes", "Resident Set Size in bytes");

        // Deviation: the ticket's "aria_memory_gc_objects" counted Python's GC-tracked objects; .NET has no such count.
        MemoryGcHeapBytes = registry.CreateGauge(
            "aria_memory_gc_heap_bytes", "Bytes of the managed heap after the last garbage collection");

        BuildInfo.Set(BuildVersion(), Environment.Version.ToString(), "aria_engine");
        _processMetrics = registry.AddProcessMetrics();
        registry.AddRuntimeMetrics();
        registry.AddCollectCallback(CollectMemory);
    }

    /// <summary>The catalog on <see cref="MetricRegistry.Default"/>, created on first use: the ticket's <c>METRICS</c>.</summary>
    public static AriaMetrics Default => For(MetricRegistry.Default);

    /// <summary>
    /// The catalog of <paramref name="registry"/>, created there on first use. A registry has one catalog: every call
    /// with the same registry returns the same instance, with one price table.
    /// </summary>
    /// <exception cref="InvalidOperationException">A catalog name is registered on the registry with a different definition.</exception>
    public static AriaMetrics For(MetricRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return Catalogs.GetValue(registry, static owner => new AriaMetrics(owner));
    }

    /// <summary>The registry the catalog's families live in.</summary>
    public MetricRegistry Registry { get; }

    /// <summary><c>aria_build_info{version, dotnet, engine}</c>: the build, the .NET runtime and the engine name.</summary>
    public Info BuildInfo { get; }

    /// <summary><c>aria_requests_total{method, status}</c>: requests processed, status <c>200</c> or <c>500</c>.</summary>
    public Counter RequestTotal { get; }

    /// <summary><c>aria_request_duration_seconds{method}</c>.</summary>
    public Histogram RequestDuration { get; }

    /// <summary><c>aria_requests_in_progress{method}</c>.</summary>
    public Gauge RequestInProgress { get; }

    /// <summary><c>aria_llm_requests_total{model, status}</c>: LLM calls, status <c>success</c> or <c>error</c>.</summary>
    public Counter LlmRequestTotal { get; }

    /// <summary><c>aria_llm_request_duration_seconds{model}</c>.</summary>
    public Histogram LlmRequestDuration { get; }

    /// <summary><c>aria_llm_tokens_input_total{model}</c>.</summary>
    public Counter LlmTokensInput { get; }

    /// <summary><c>aria_llm_tokens_output_total{model}</c>.</summary>
    public Counter LlmTokensOutput { get; }

    /// <summary><c>aria_llm_token_cost_estimate_total{model}</c>, in US dollars.</summary>
    public Counter LlmTokenCostEstimate { get; }

    /// <summary><c>aria_llm_circuit_breaker_state{model}</c>: a <see cref="CircuitBreakerState"/> as 0, 1 or 2.</summary>
    public Gauge LlmCircuitBreakerState { get; }

    /// <summary><c>aria_llm_thinking_duration_seconds{model}</c>.</summary>
    public Histogram LlmThinkingDuration { get; }

    /// <summary><c>aria_agent_routing_total{selected_agent}</c>.</summary>
    public Counter AgentRoutingTotal { get; }

    /// <summary><c>aria_agent_routing_duration_seconds</c>.</summary>
    public Histogram AgentRoutingDuration { get; }

    /// <summary><c>aria_agent_pheromone_score{agent_id}</c>.</summary>
    public Gauge AgentPheromoneScore { get; }

    /// <summary><c>aria_agent_tasks_total{agent_id, status}</c>.</summary>
    public Counter AgentTaskTotal { get; }

    /// <summary><c>aria_agents_active</c>.</summary>
    public Gauge AgentActive { get; }

    /// <summary><c>aria_sessions_active</c>.</summary>
    public Gauge SessionsActive { get; }

    /// <summary><c>aria_sessions_created_total</c>.</summary>
    public Counter SessionsCreatedTotal { get; }

    /// <summary><c>aria_sessions_messages_total{role}</c>.</summary>
    public Counter SessionsMessagesTotal { get; }

    /// <summary><c>aria_session_duration_seconds</c>: from creation to last message.</summary>
    public Histogram SessionDuration { get; }

    /// <summary><c>aria_scheduler_jobs{status}</c>: registered jobs by status (the ticket's <c>aria_scheduler_jobs_total</c>).</summary>
    public Gauge SchedulerJobs { get; }

    /// <summary><c>aria_scheduler_executions_total{job_id, status}</c>.</summary>
    public Counter SchedulerExecutionsTotal { get; }

    /// <summary><c>aria_scheduler_execution_duration_seconds{job_id}</c>.</summary>
    public Histogram SchedulerExecutionDuration { get; }

    /// <summary><c>aria_scheduler_last_run_timestamp{job_id}</c>: Unix seconds of the last successful run.</summary>
    public Gauge SchedulerLastRun { get; }

    /// <summary><c>aria_skill_executions_total{skill_name, status}</c>.</summary>
    public Counter SkillExecutionTotal { get; }

    /// <summary><c>aria_skill_execution_duration_seconds{skill_name}</c>.</summary>
    public Histogram SkillExecutionDuration { get; }

    /// <summary><c>aria_db_queries_total{operation}</c>.</summary>
    public Counter DbQueryTotal { get; }

    /// <summary><c>aria_db_query_duration_seconds{operation}</c>.</summary>
    public Histogram DbQueryDuration { get; }

    /// <summary><c>aria_db_pool_size</c>.</summary>
    public Gauge DbPoolSize { get; }

    /// <summary><c>aria_db_pool_available</c>.</summary>
    public Gauge DbPoolAvailable { get; }

    /// <summary><c>aria_errors_total{error_type, component}</c>.</summary>
    public Counter ErrorsTotal { get; }

    /// <summary><c>aria_memory_rss_bytes</c>, read at each scrape.</summary>
    public Gauge MemoryRssBytes { get; }

    /// <summary><c>aria_memory_gc_heap_bytes</c>, read at each scrape (the ticket's <c>aria_memory_gc_objects</c>).</summary>
    public Gauge MemoryGcHeapBytes { get; }

    /// <summary>
    /// A latency histogram: the ticket's classic buckets, and native buckets beside them for Prometheus to ingest over
    /// protobuf: factor 1.1 (schema 3, buckets about 9% wide), at most 160 per series (client_java's default), the
    /// series reset at most hourly to stay within them; exemplars from the current activity.
    /// </summary>
    private static HistogramOptions Latency(double[] buckets) => new()
    {
        Buckets = buckets,
        NativeBucketFactor = 1.1,
        NativeMaxBucketCount = 160,
        NativeMinResetDuration = TimeSpan.FromHours(1),
        ExemplarsFromActivity = true,
    };

    private static string BuildVersion()
    {
        string? version = Environment.GetEnvironmentVariable("ARIA_VERSION");
        return string.IsNullOrWhiteSpace(version) ? DefaultVersion : version;
    }
}
