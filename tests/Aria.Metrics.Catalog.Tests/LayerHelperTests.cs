using Aria.Metrics.Catalog;

namespace Aria.Metrics.Catalog.Tests;

/// <summary>The helpers of the agent, session, scheduler, skill, database and error layers.</summary>
public sealed class LayerHelperTests
{
    [Fact]
    public void A_routing_decision_counts_the_agent_and_observes_the_decision_time()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        metrics.RecordRouting("researcher", TimeSpan.FromMilliseconds(3));
        metrics.RecordRouting("researcher", TimeSpan.FromMilliseconds(7));
        metrics.RecordRouting("coder", TimeSpan.FromMilliseconds(1));

        Assert.Equal(2, metrics.AgentRoutingTotal.WithLabels("researcher").Value);
        Assert.Equal(1, metrics.AgentRoutingTotal.WithLabels("coder").Value);
        Assert.Equal(3, metrics.AgentRoutingDuration.WithLabels().Count);
        Assert.Equal(0.011, metrics.AgentRoutingDuration.WithLabels().Sum, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => metrics.RecordRouting("coder", TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentException>(() => metrics.RecordRouting(string.Empty, TimeSpan.Zero));
    }

    [Fact]
    public void Pheromone_scores_are_set_per_agent_and_must_be_finite()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        metrics.SetPheromoneScore("researcher", 0.8);
        metrics.SetPheromoneScore("researcher", 0.65);
        metrics.SetPheromoneScore("coder", -0.1);

        Assert.Equal(0.65, metrics.AgentPheromoneScore.WithLabels("researcher").Value);
        Assert.Equal(-0.1, metrics.AgentPheromoneScore.WithLabels("coder").Value);
        Assert.Throws<ArgumentOutOfRangeException>("score", () => metrics.SetPheromoneScore("coder", double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("score", () => metrics.SetPheromoneScore("coder", double.NegativeInfinity));
    }

    [Fact]
    public void Agent_tasks_are_counted_by_agent_and_status()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        metrics.RecordAgentTask("coder", ExecutionStatus.Success);
        metrics.RecordAgentTask("coder", ExecutionStatus.Success);
        metrics.RecordAgentTask("coder", ExecutionStatus.Error);
        metrics.SetActiveAgents(4);

        Assert.Equal(2, metrics.AgentTaskTotal.WithLabels("coder", "success").Value);
        Assert.Equal(1, metrics.AgentTaskTotal.WithLabels("coder", "error").Value);
        Assert.Equal(4, metrics.AgentActive.Value);
        Assert.Throws<ArgumentOutOfRangeException>("status", () => metrics.RecordAgentTask("coder", (ExecutionStatus)2));
        Assert.Throws<ArgumentOutOfRangeException>("count", () => metrics.SetActiveAgents(-1));
        Assert.Equal(2, metrics.AgentTaskTotal.SeriesCount);
    }

    [Fact]
    public void Sessions_are_created_counted_while_active_and_timed_when_they_end()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        metrics.RecordSessionCreated();
        metrics.RecordSessionCreated();
        metrics.RecordSessionMessage("user");
        metrics.RecordSessionMessage("assistant");
        metrics.RecordSessionMessage("user");
        metrics.RecordSessionEnded(TimeSpan.FromMinutes(12));

        Assert.Equal(2, metrics.SessionsCreatedTotal.Value);
        Assert.Equal(1, metrics.SessionsActive.Value);
        Assert.Equal(2, metrics.SessionsMessagesTotal.WithLabels("user").Value);
        Assert.Equal(1, metrics.SessionsMessagesTotal.WithLabels("assistant").Value);
        Assert.Equal(1, metrics.SessionDuration.WithLabels().Count);
        Assert.Equal(720, metrics.SessionDuration.WithLabels().Sum);
        Assert.Throws<ArgumentOutOfRangeException>(() => metrics.RecordSessionEnded(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentException>(() => metrics.RecordSessionMessage(string.Empty));
        Assert.Equal(1, metrics.SessionsActive.Value);
    }

    [Fact]
    public void A_successful_scheduler_run_sets_the_last_run_timestamp()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        double before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

        metrics.RecordSchedulerRun("memory_consolidation", ExecutionStatus.Success, TimeSpan.FromSeconds(2));

        double after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        Assert.Equal(1, metrics.SchedulerExecutionsTotal.WithLabels("memory_consolidation", "success").Value);
        Assert.Equal(2, metrics.SchedulerExecutionDuration.WithLabels("memory_consolidation").Sum);
        Assert.InRange(metrics.SchedulerLastRun.WithLabels("memory_consolidation").Value, before - 0.001, after + 0.001);
    }

    [Fact]
    public void A_failed_scheduler_run_leaves_the_last_run_timestamp_alone()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        metrics.RecordSchedulerRun("backup", ExecutionStatus.Error, TimeSpan.FromSeconds(1));

        Assert.Equal(1, metrics.SchedulerExecutionsTotal.WithLabels("backup", "error").Value);
        Assert.Equal(1, metrics.SchedulerExecutionDuration.WithLabels("backup").Count);
        Assert.Equal(0, metrics.SchedulerLastRun.SeriesCount);

        metrics.RecordSchedulerRun("backup", ExecutionStatus.Success, TimeSpan.FromSeconds(1));
        double succeeded = metrics.SchedulerLastRun.WithLabels("backup").Value;
        metrics.RecordSchedulerRun("backup", ExecutionStatus.Error, TimeSpan.FromSeconds(1));
        Assert.Equal(succeeded, metrics.SchedulerLastRun.WithLabels("backup").Value);
    }

    [Fact]
    public void Scheduler_jobs_are_set_by_status()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        metrics.SetSchedulerJobs("active", 7);
        metrics.SetSchedulerJobs("paused", 2);
        metrics.SetSchedulerJobs("active", 6);

        Assert.Equal(6, metrics.SchedulerJobs.WithLabels("active").Value);
        Assert.Equal(2, metrics.SchedulerJobs.WithLabels("paused").Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => metrics.SetSchedulerJobs("active", -1));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => metrics.RecordSchedulerRun("backup", (ExecutionStatus)(-1), TimeSpan.Zero));
    }

    [Fact]
    public void Skill_executions_are_counted_and_timed()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        metrics.RecordSkillExecution("web_search", ExecutionStatus.Success, TimeSpan.FromMilliseconds(250));
        metrics.RecordSkillExecution("web_search", ExecutionStatus.Error, TimeSpan.FromMilliseconds(50));

        Assert.Equal(1, metrics.SkillExecutionTotal.WithLabels("web_search", "success").Value);
        Assert.Equal(1, metrics.SkillExecutionTotal.WithLabels("web_search", "error").Value);
        Assert.Equal(2, metrics.SkillExecutionDuration.WithLabels("web_search").Count);
        Assert.Equal(0.3, metrics.SkillExecutionDuration.WithLabels("web_search").Sum, 12);
    }

    [Fact]
    public void Database_queries_and_the_pool_are_recorded()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        metrics.RecordDbQuery("select", TimeSpan.FromMilliseconds(4));
        metrics.RecordDbQuery("insert", TimeSpan.FromMilliseconds(9));
        metrics.SetDbPool(size: 20, available: 17);

        Assert.Equal(1, metrics.DbQueryTotal.WithLabels("select").Value);
        Assert.Equal(0.009, metrics.DbQueryDuration.WithLabels("insert").Sum, 12);
        Assert.Equal(20, metrics.DbPoolSize.Value);
        Assert.Equal(17, metrics.DbPoolAvailable.Value);
        Assert.Throws<ArgumentOutOfRangeException>("available", () => metrics.SetDbPool(20, -1));
        Assert.Equal(17, metrics.DbPoolAvailable.Value);
    }

    [Fact]
    public void Errors_are_counted_by_exception_type_name_and_component()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        metrics.RecordError(new TimeoutException(), "scheduler");
        metrics.RecordError(new TimeoutException(), "scheduler");
        metrics.RecordError("RateLimited", "llm");

        Assert.Equal(2, metrics.ErrorsTotal.WithLabels("TimeoutException", "scheduler").Value);
        Assert.Equal(1, metrics.ErrorsTotal.WithLabels("RateLimited", "llm").Value);
        Assert.Throws<ArgumentNullException>(() => metrics.RecordError((Exception)null!, "llm"));
        Assert.Throws<ArgumentException>(() => metrics.RecordError(new TimeoutException(), string.Empty));
    }
}
