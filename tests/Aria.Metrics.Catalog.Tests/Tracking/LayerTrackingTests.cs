using System.Diagnostics;

namespace Aria.Metrics.Catalog.Tests.Tracking;

/// <summary>
/// The tracked helpers of the agent, skill, scheduler and database layers record what their <c>Record*</c>
/// counterparts record, with the status taken from the outcome.
/// </summary>
public sealed class LayerTrackingTests
{
    private readonly AriaMetrics _metrics = AriaMetrics.For(new MetricRegistry());

    [Fact]
    public async Task Agent_tasks_are_counted_by_outcome()
    {
        Assert.Equal("plan", await _metrics.TrackAgentTaskAsync("planner", static () => Task.FromResult("plan")));
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => _metrics.TrackAgentTaskAsync("planner", static () => Task.FromException(new InvalidOperationException())));

        Assert.Equal(1, _metrics.AgentTaskTotal.WithLabels("planner", "success").Value);
        Assert.Equal(1, _metrics.AgentTaskTotal.WithLabels("planner", "error").Value);
        Assert.Equal(0, _metrics.ErrorsTotal.SeriesCount);
    }

    [Fact]
    public async Task Skill_executions_are_counted_by_outcome_and_timed()
    {
        // At least 30 ms by the monotonic clock the tracked call times with: Task.Delay alone runs on the timer queue's
        // coarse tick and can finish a few milliseconds early (24.9 ms was seen).
        await _metrics.TrackSkillExecutionAsync("web_search", static async () =>
        {
            long start = Stopwatch.GetTimestamp();
            await Task.Delay(30);
            while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < 30)
            {
                await Task.Yield();
            }
        });
        await Assert.ThrowsAsync<TaskCanceledException>(
            async () => await _metrics.TrackSkillExecutionAsync("web_search", static () => new ValueTask(Task.FromCanceled(new CancellationToken(true)))));

        Assert.Equal(1, _metrics.SkillExecutionTotal.WithLabels("web_search", "success").Value);
        Assert.Equal(1, _metrics.SkillExecutionTotal.WithLabels("web_search", "error").Value);
        Assert.Equal(2, _metrics.SkillExecutionDuration.WithLabels("web_search").Count);
        Assert.InRange(_metrics.SkillExecutionDuration.WithLabels("web_search").Sum, 0.025, 30);
    }

    [Fact]
    public async Task A_scheduler_run_sets_the_last_run_time_on_success_only()
    {
        await Assert.ThrowsAsync<IOException>(() => _metrics.TrackSchedulerRunAsync("backup", static () => Task.FromException(new IOException())));
        Assert.Equal(0, _metrics.SchedulerLastRun.SeriesCount);

        double before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        await _metrics.TrackSchedulerRunAsync("backup", static async () => await Task.Yield());

        Assert.InRange(_metrics.SchedulerLastRun.WithLabels("backup").Value, before - 0.001, before + 30);
        Assert.Equal(1, _metrics.SchedulerExecutionsTotal.WithLabels("backup", "success").Value);
        Assert.Equal(1, _metrics.SchedulerExecutionsTotal.WithLabels("backup", "error").Value);
        Assert.Equal(2, _metrics.SchedulerExecutionDuration.WithLabels("backup").Count);
    }

    [Fact]
    public async Task Database_queries_are_counted_and_timed_whatever_their_outcome()
    {
        Assert.Equal(3, await _metrics.TrackDbQueryAsync("select", static () => new ValueTask<int>(3)));
        await Assert.ThrowsAsync<TimeoutException>(() => _metrics.TrackDbQueryAsync("update", static () => Task.FromException(new TimeoutException())));

        Assert.Equal(1, _metrics.DbQueryTotal.WithLabels("select").Value);
        Assert.Equal(1, _metrics.DbQueryTotal.WithLabels("update").Value);
        Assert.Equal(1, _metrics.DbQueryDuration.WithLabels("update").Count);
    }

    [Fact]
    public async Task Bad_labels_and_operations_are_refused_before_anything_runs()
    {
        bool ran = false;
        Func<Task> work = () =>
        {
            ran = true;
            return Task.CompletedTask;
        };

        await Assert.ThrowsAsync<ArgumentNullException>(() => _metrics.TrackAgentTaskAsync(null!, work));
        await Assert.ThrowsAsync<ArgumentException>(() => _metrics.TrackSkillExecutionAsync(string.Empty, work));
        await Assert.ThrowsAsync<ArgumentException>(() => _metrics.TrackSchedulerRunAsync("\uDC00", work));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _metrics.TrackDbQueryAsync("select", (Func<Task>)null!));

        Assert.False(ran);
        Assert.Equal(0, _metrics.AgentTaskTotal.SeriesCount + _metrics.SkillExecutionTotal.SeriesCount
            + _metrics.SchedulerExecutionsTotal.SeriesCount + _metrics.DbQueryTotal.SeriesCount);
    }
}
