using Aria.Metrics.Catalog;

namespace Aria.Metrics.Catalog.Tests;

/// <summary>Calls every helper of the catalog, failures included, so that every family has at least one series.</summary>
internal static class CatalogWorkout
{
    public static async Task ExerciseEveryHelperAsync(AriaMetrics metrics)
    {
        metrics.LlmPrices.Set("gpt-4o", 2.50, 10.00);

        await metrics.TrackRequestAsync("chat", static async () => await Task.Yield());
        await IgnoreAsync<InvalidOperationException>(
            metrics.TrackRequestAsync("chat", static () => Task.FromException(new InvalidOperationException("boom"))));
        await IgnoreAsync<TaskCanceledException>(
            metrics.TrackRequestAsync("stream", static () => Task.FromCanceled(new CancellationToken(canceled: true))));

        _ = await metrics.TrackLlmAsync("gpt-4o", static () => new ValueTask<int>(42));
        await IgnoreAsync<TimeoutException>(
            metrics.TrackLlmAsync("claude \"quoted\"\nmodel\\", static () => Task.FromException(new TimeoutException())));

        metrics.RecordLlmUsage("gpt-4o", 1_200, 350);
        metrics.RecordLlmUsage("unpriced-model", 10, 5);
        metrics.RecordLlmCost("gpt-4o", 0.0001);
        metrics.SetCircuitBreakerState("gpt-4o", CircuitBreakerState.HalfOpen);
        metrics.RecordLlmThinking("gpt-4o", TimeSpan.FromSeconds(3.2));

        metrics.RecordRouting("researcher", TimeSpan.FromMilliseconds(2.5));
        metrics.SetPheromoneScore("researcher", 0.731);
        metrics.RecordAgentTask("researcher", ExecutionStatus.Success);
        metrics.RecordAgentTask("coder", ExecutionStatus.Error);
        metrics.SetActiveAgents(4);

        metrics.RecordSessionCreated();
        metrics.RecordSessionCreated();
        metrics.RecordSessionMessage("user");
        metrics.RecordSessionMessage("assistant");
        metrics.RecordSessionEnded(TimeSpan.FromMinutes(7));

        metrics.RecordSchedulerRun("memory_consolidation", ExecutionStatus.Success, TimeSpan.FromSeconds(4.5));
        metrics.RecordSchedulerRun("backup", ExecutionStatus.Error, TimeSpan.FromSeconds(0.2));
        metrics.SetSchedulerJobs("active", 6);
        metrics.SetSchedulerJobs("paused", 1);

        metrics.RecordSkillExecution("web_search", ExecutionStatus.Success, TimeSpan.FromMilliseconds(420));
        metrics.RecordDbQuery("select", TimeSpan.FromMilliseconds(3));

        await metrics.TrackAgentTaskAsync("planner", static async () => await Task.Yield());
        await metrics.TrackSkillExecutionAsync("calculator", static () => ValueTask.CompletedTask);
        await IgnoreAsync<TimeoutException>(
            metrics.TrackSchedulerRunAsync("memory_consolidation", static () => Task.FromException(new TimeoutException())));
        _ = await metrics.TrackDbQueryAsync("insert", static () => Task.FromResult(1));

        metrics.SetDbPool(20, 17);
        metrics.RecordError(new IOException(), "database");
    }

    private static async Task IgnoreAsync<TException>(Task task)
        where TException : Exception
    {
        try
        {
            await task;
        }
        catch (TException)
        {
        }
    }
}
