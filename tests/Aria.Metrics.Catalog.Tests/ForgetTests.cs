using Aria.Metrics.Catalog;

namespace Aria.Metrics.Catalog.Tests;

/// <summary>Agents and scheduler jobs that are gone stop being exported.</summary>
public sealed class ForgetTests
{
    [Fact]
    public void A_forgotten_agent_leaves_every_family_it_labelled_and_the_others_stay()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        foreach (string agent in new[] { "researcher", "coder" })
        {
            metrics.RecordRouting(agent, TimeSpan.FromMilliseconds(2));
            metrics.SetPheromoneScore(agent, 0.5);
            metrics.RecordAgentTask(agent, ExecutionStatus.Success);
            metrics.RecordAgentTask(agent, ExecutionStatus.Error);
        }

        Assert.Equal(4, metrics.ForgetAgent("researcher"));
        Assert.Equal(0, metrics.ForgetAgent("researcher"));
        string text = Render.Text(metrics.Registry);
        Assert.DoesNotContain("researcher", text, StringComparison.Ordinal);
        Assert.Contains("aria_agent_tasks_total{agent_id=\"coder\",status=\"error\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("aria_agent_pheromone_score{agent_id=\"coder\"} 0.5\n", text, StringComparison.Ordinal);

        metrics.RecordAgentTask("researcher", ExecutionStatus.Success);
        Assert.Contains("aria_agent_tasks_total{agent_id=\"researcher\",status=\"success\"}", Render.Text(metrics.Registry), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => metrics.ForgetAgent(string.Empty));
    }

    [Fact]
    public void A_forgotten_scheduler_job_leaves_every_family_it_labelled()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        metrics.RecordSchedulerRun("nightly_backup", ExecutionStatus.Success, TimeSpan.FromSeconds(3));
        metrics.RecordSchedulerRun("memory_consolidation", ExecutionStatus.Error, TimeSpan.FromSeconds(1));

        Assert.Equal(3, metrics.ForgetSchedulerJob("nightly_backup"));
        string text = Render.Text(metrics.Registry);
        Assert.DoesNotContain("nightly_backup", text, StringComparison.Ordinal);
        Assert.Contains("aria_scheduler_executions_total{job_id=\"memory_consolidation\",status=\"error\"} 1\n", text, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => metrics.ForgetSchedulerJob(null!));
    }
}
