using System.Runtime.CompilerServices;
using Aria.Metrics.Catalog;

namespace Aria.Metrics.Catalog.Tests;

/// <summary>
/// The success path of every helper allocates nothing once its series exist: for tracked calls, that is the path of a
/// call that completes synchronously, where the helper hands back the operation's own task.
/// </summary>
public sealed class AllocationTests
{
    private const int WarmUp = 500;
    private const int Measured = 2_000;

    private static readonly Task<int> CompletedInt = Task.FromResult(42);

    [Fact]
    public void Tracking_synchronously_completing_calls_allocates_nothing_for_any_helper_or_shape()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        // The latency histograms have native buckets, which allocate a range of 32 buckets the first time a duration lands
        // in it, as a new series does: durations from a nanosecond to a minute make every range a call can reach exist.
        for (double seconds = 1e-9; seconds < 60; seconds *= 1.5)
        {
            metrics.RequestDuration.WithLabels("chat").Observe(seconds);
            metrics.LlmRequestDuration.WithLabels("gpt-4o").Observe(seconds);
            metrics.SkillExecutionDuration.WithLabels("web_search").Observe(seconds);
            metrics.SchedulerExecutionDuration.WithLabels("backup").Observe(seconds);
            metrics.DbQueryDuration.WithLabels("select").Observe(seconds);
        }

        long allocated = AllocatedBy(() => TrackEveryShape(metrics));

        Assert.Equal(0, allocated);
        const long Calls = 4L * (WarmUp + Measured);
        Assert.Equal(Calls, (long)metrics.RequestTotal.WithLabels("chat", "200").Value);
        Assert.Equal(Calls, (long)metrics.LlmRequestTotal.WithLabels("gpt-4o", "success").Value);
        Assert.Equal(Calls, (long)metrics.AgentTaskTotal.WithLabels("planner", "success").Value);
        Assert.Equal(Calls, (long)metrics.SkillExecutionTotal.WithLabels("web_search", "success").Value);
        Assert.Equal(Calls, (long)metrics.SchedulerExecutionsTotal.WithLabels("backup", "success").Value);
        Assert.Equal(Calls, (long)metrics.DbQueryTotal.WithLabels("select").Value);
        Assert.Equal(0, metrics.Registry.InstrumentationFailures);
        Assert.Equal(Calls + 62, metrics.RequestDuration.WithLabels("chat").Count);
    }

    [Fact]
    public void Recording_helpers_allocate_nothing()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        metrics.LlmPrices.Set("gpt-4o", 2.5, 10);

        long allocated = AllocatedBy(() =>
        {
            metrics.RecordLlmUsage("gpt-4o", 1200, 300);
            metrics.RecordLlmCost("gpt-4o", 0.001);
            metrics.SetCircuitBreakerState("gpt-4o", CircuitBreakerState.HalfOpen);
            metrics.RecordLlmThinking("gpt-4o", TimeSpan.FromSeconds(2));
            metrics.RecordRouting("researcher", TimeSpan.FromMilliseconds(2));
            metrics.SetPheromoneScore("researcher", 0.7);
            metrics.RecordAgentTask("researcher", ExecutionStatus.Success);
            metrics.SetActiveAgents(3);
            metrics.RecordSessionCreated();
            metrics.RecordSessionMessage("user");
            metrics.RecordSessionEnded(TimeSpan.FromMinutes(5));
            metrics.RecordSchedulerRun("backup", ExecutionStatus.Success, TimeSpan.FromSeconds(3));
            metrics.SetSchedulerJobs("active", 5);
            metrics.RecordSkillExecution("web_search", ExecutionStatus.Success, TimeSpan.FromMilliseconds(80));
            metrics.RecordDbQuery("select", TimeSpan.FromMilliseconds(2));
            metrics.SetDbPool(20, 18);
            metrics.RecordError("RateLimited", "llm");
        });

        Assert.Equal(0, allocated);
    }

    private static void TrackEveryShape(AriaMetrics metrics)
    {
        // Static lambdas: the compiler caches their delegates, so the call sites allocate nothing either.
        Consume(metrics.TrackRequestAsync("chat", static () => Task.CompletedTask));
        Consume(metrics.TrackRequestAsync("chat", static () => CompletedInt));
        Consume(metrics.TrackRequestAsync("chat", static () => ValueTask.CompletedTask));
        Consume(metrics.TrackRequestAsync("chat", static () => new ValueTask<int>(42)));
        Consume(metrics.TrackLlmAsync("gpt-4o", static () => Task.CompletedTask));
        Consume(metrics.TrackLlmAsync("gpt-4o", static () => CompletedInt));
        Consume(metrics.TrackLlmAsync("gpt-4o", static () => ValueTask.CompletedTask));
        Consume(metrics.TrackLlmAsync("gpt-4o", static () => new ValueTask<int>(42)));
        Consume(metrics.TrackAgentTaskAsync("planner", static () => Task.CompletedTask));
        Consume(metrics.TrackAgentTaskAsync("planner", static () => CompletedInt));
        Consume(metrics.TrackAgentTaskAsync("planner", static () => ValueTask.CompletedTask));
        Consume(metrics.TrackAgentTaskAsync("planner", static () => new ValueTask<int>(42)));
        Consume(metrics.TrackSkillExecutionAsync("web_search", static () => Task.CompletedTask));
        Consume(metrics.TrackSkillExecutionAsync("web_search", static () => CompletedInt));
        Consume(metrics.TrackSkillExecutionAsync("web_search", static () => ValueTask.CompletedTask));
        Consume(metrics.TrackSkillExecutionAsync("web_search", static () => new ValueTask<int>(42)));
        Consume(metrics.TrackSchedulerRunAsync("backup", static () => Task.CompletedTask));
        Consume(metrics.TrackSchedulerRunAsync("backup", static () => CompletedInt));
        Consume(metrics.TrackSchedulerRunAsync("backup", static () => ValueTask.CompletedTask));
        Consume(metrics.TrackSchedulerRunAsync("backup", static () => new ValueTask<int>(42)));
        Consume(metrics.TrackDbQueryAsync("select", static () => Task.CompletedTask));
        Consume(metrics.TrackDbQueryAsync("select", static () => CompletedInt));
        Consume(metrics.TrackDbQueryAsync("select", static () => ValueTask.CompletedTask));
        Consume(metrics.TrackDbQueryAsync("select", static () => new ValueTask<int>(42)));
    }

    /// <summary>Bytes allocated on this thread by <paramref name="action"/>, run many times once warmed up.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long AllocatedBy(Action action)
    {
        // Warming up creates the series, settles their lookup snapshots and lets the JIT finish tiering.
        for (int i = 0; i < WarmUp; i++)
        {
            action();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Measured; i++)
        {
            action();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static void Consume(Task task) => Assert.True(task.IsCompletedSuccessfully);

    private static void Consume(ValueTask task) => Assert.True(task.IsCompletedSuccessfully);

    private static void Consume<T>(ValueTask<T> task) => Assert.True(task.IsCompletedSuccessfully);
}
