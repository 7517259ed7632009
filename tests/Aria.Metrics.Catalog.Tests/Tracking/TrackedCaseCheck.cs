namespace Aria.Metrics.Catalog.Tests.Tracking;

/// <summary>
/// Runs one <see cref="TrackedCase"/> through its helper and asserts the rule: an invalid label is refused with an
/// <see cref="ArgumentException"/> before the call runs and records nothing; with a valid one, the caller observes
/// exactly the outcome the operation produced, and the metrics recorded match it.
/// </summary>
internal static class TrackedCaseCheck
{
    private const string ThrowSite = "ThrowSite";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static void Run(TrackedCase trackedCase)
    {
        var registry = new MetricRegistry();
        var metrics = AriaMetrics.For(registry);
        var failures = new List<InstrumentationFailure>();
        registry.InstrumentationFailed += (_, failure) => failures.Add(failure);
        var operation = new ScriptedOperation(trackedCase);

        Exception? thrown = null;
        Task? returned = null;
        bool completedAtReturn = false;
        try
        {
            (returned, completedAtReturn) = Call(metrics, trackedCase, operation);
        }
        catch (Exception exception)
        {
            thrown = exception;
        }

        if (!trackedCase.LabelIsValid)
        {
            Assert.False(operation.Ran, "the operation ran although its label is refused");
            Assert.IsAssignableFrom<ArgumentException>(thrown);
            AssertNothingRecorded(metrics);
        }
        else
        {
            Assert.True(operation.Ran);
            Exception? failure = AwaitOutcome(trackedCase, metrics, operation, thrown, returned, completedAtReturn);
            AssertRecorded(trackedCase, metrics, failure);
        }

        Assert.Empty(failures);
        Assert.Equal(0, registry.InstrumentationFailures);
    }

    /// <summary>Calls the helper; the task it returned, as a task, and whether it was complete when it came back.</summary>
    private static (Task Returned, bool CompletedAtReturn) Call(AriaMetrics metrics, TrackedCase c, ScriptedOperation operation)
    {
        string label = c.Label!;
        switch (c.Shape)
        {
            case Shape.Task:
            {
                Func<Task> work = operation.AsTask;
                Task task = c.Helper switch
                {
                    Helper.Request => metrics.TrackRequestAsync(label, work),
                    Helper.Llm => metrics.TrackLlmAsync(label, work),
                    Helper.AgentTask => metrics.TrackAgentTaskAsync(label, work),
                    Helper.SkillExecution => metrics.TrackSkillExecutionAsync(label, work),
                    Helper.SchedulerRun => metrics.TrackSchedulerRunAsync(label, work),
                    _ => metrics.TrackDbQueryAsync(label, work),
                };
                return (task, task.IsCompleted);
            }

            case Shape.TaskOfT:
            {
                Func<Task<object>> work = operation.AsTaskOfT;
                Task<object> task = c.Helper switch
                {
                    Helper.Request => metrics.TrackRequestAsync(label, work),
                    Helper.Llm => metrics.TrackLlmAsync(label, work),
                    Helper.AgentTask => metrics.TrackAgentTaskAsync(label, work),
                    Helper.SkillExecution => metrics.TrackSkillExecutionAsync(label, work),
                    Helper.SchedulerRun => metrics.TrackSchedulerRunAsync(label, work),
                    _ => metrics.TrackDbQueryAsync(label, work),
                };
                return (task, task.IsCompleted);
            }

            case Shape.ValueTask:
            {
                Func<ValueTask> work = operation.AsValueTask;
                ValueTask task = c.Helper switch
                {
                    Helper.Request => metrics.TrackRequestAsync(label, work),
                    Helper.Llm => metrics.TrackLlmAsync(label, work),
                    Helper.AgentTask => metrics.TrackAgentTaskAsync(label, work),
                    Helper.SkillExecution => metrics.TrackSkillExecutionAsync(label, work),
                    Helper.SchedulerRun => metrics.TrackSchedulerRunAsync(label, work),
                    _ => metrics.TrackDbQueryAsync(label, work),
                };

                // A caller may consume a value task once: AsTask is that one time.
                bool completed = task.IsCompleted;
                return (task.AsTask(), completed);
            }

            default:
            {
                Func<ValueTask<object>> work = operation.AsValueTaskOfT;
                ValueTask<object> task = c.Helper switch
                {
                    Helper.Request => metrics.TrackRequestAsync(label, work),
                    Helper.Llm => metrics.TrackLlmAsync(label, work),
                    Helper.AgentTask => metrics.TrackAgentTaskAsync(label, work),
                    Helper.SkillExecution => metrics.TrackSkillExecutionAsync(label, work),
                    Helper.SchedulerRun => metrics.TrackSchedulerRunAsync(label, work),
                    _ => metrics.TrackDbQueryAsync(label, work),
                };
                bool completed = task.IsCompleted;
                return (task.AsTask(), completed);
            }
        }
    }

    /// <summary>Asserts the caller saw exactly what the operation produced; the failure an await sees, if any.</summary>
    private static Exception? AwaitOutcome(
        TrackedCase c, AriaMetrics metrics, ScriptedOperation operation, Exception? thrown, Task? returned, bool completedAtReturn)
    {
        if (c.Timing == Timing.BeforeTask)
        {
            // Thrown at the call, as the operation threw it, not turned into a faulted task.
            Assert.Null(returned);
            Assert.Same(Assert.Single(operation.Produced), thrown);
            Assert.Contains(ThrowSite, thrown!.StackTrace, StringComparison.Ordinal);
            return thrown;
        }

        Assert.Null(thrown);
        Assert.NotNull(returned);
        Assert.Equal(c.Timing == Timing.Synchronous, completedAtReturn);
        if (c.Timing == Timing.Asynchronous)
        {
            AssertInFlight(c, metrics);
            operation.Release();
        }

        Assert.True(((IAsyncResult)returned).AsyncWaitHandle.WaitOne(Patience), "the tracked call never completed");
        Exception? awaited = null;
        try
        {
            returned.GetAwaiter().GetResult();
        }
        catch (Exception exception)
        {
            awaited = exception;
        }

        switch (c.Outcome)
        {
            case Outcome.Value:
                Assert.True(returned.IsCompletedSuccessfully);
                if (returned is Task<object> withResult)
                {
                    Assert.Same(operation.Result, withResult.Result);
                }

                return null;

            case Outcome.OneException or Outcome.SeveralExceptions:
                Assert.True(returned.IsFaulted);
                Assert.Equal(operation.Produced.Count, c.ExceptionKinds.Length);
                Assert.Equal(operation.Produced, returned.Exception!.InnerExceptions, ReferenceEqualityComparer.Instance);
                Assert.All(operation.Produced, e => Assert.Contains(ThrowSite, e.StackTrace, StringComparison.Ordinal));
                Assert.Same(operation.Produced[0], awaited);
                return awaited;

            case Outcome.CancelledByException:
                Assert.True(returned.IsCanceled, $"cancellation came back as {returned.Status}");
                Assert.Same(Assert.Single(operation.Produced), awaited);
                return awaited;

            default:
                Assert.True(returned.IsCanceled, $"cancellation came back as {returned.Status}");
                Assert.Empty(operation.Produced);
                Assert.Equal(operation.Token, Assert.IsType<TaskCanceledException>(awaited).CancellationToken);
                return awaited;
        }
    }

    /// <summary>While the call runs: a request counts as in progress, and nothing about its end is recorded.</summary>
    private static void AssertInFlight(TrackedCase c, AriaMetrics metrics)
    {
        string label = c.Label!;
        if (c.Helper == Helper.Request)
        {
            Assert.Equal(1, metrics.RequestInProgress.WithLabels(label).Value);
        }

        (Counter outcomes, string? success, _) = Outcomes(c, metrics);
        Assert.Equal(1, outcomes.SeriesCount);
        Assert.Equal(0, (success is null ? outcomes.WithLabels(label) : outcomes.WithLabels(label, success)).Value);
        Assert.Equal(0, metrics.ErrorsTotal.SeriesCount);
    }

    private static void AssertRecorded(TrackedCase c, AriaMetrics metrics, Exception? failure)
    {
        string label = c.Label!;
        bool succeeded = failure is null;
        (Counter outcomes, string? success, string? error) = Outcomes(c, metrics);
        if (success is null)
        {
            Assert.Equal(1, outcomes.SeriesCount);
            Assert.Equal(1, outcomes.WithLabels(label).Value);
        }
        else
        {
            // The success series was resolved before the call, with the label checked; a failure's is made by a failure.
            Assert.Equal(succeeded ? 1 : 2, outcomes.SeriesCount);
            Assert.Equal(succeeded ? 1 : 0, outcomes.WithLabels(label, success).Value);
            Assert.Equal(succeeded ? 0 : 1, succeeded ? 0 : outcomes.WithLabels(label, error!).Value);
        }

        Histogram? duration = c.Helper switch
        {
            Helper.Request => metrics.RequestDuration,
            Helper.Llm => metrics.LlmRequestDuration,
            Helper.SkillExecution => metrics.SkillExecutionDuration,
            Helper.SchedulerRun => metrics.SchedulerExecutionDuration,
            Helper.DbQuery => metrics.DbQueryDuration,
            _ => null,
        };
        if (duration is not null)
        {
            Assert.Equal(1, duration.SeriesCount);
            Assert.Equal(1, duration.WithLabels(label).Count);
        }

        if (c.Helper == Helper.Request)
        {
            Assert.Equal(0, metrics.RequestInProgress.WithLabels(label).Value);
        }

        string? component = c.Helper switch
        {
            Helper.Request => label,
            Helper.Llm => "llm",
            _ => null,
        };
        if (component is not null && !succeeded)
        {
            // Typed by the exception an await throws: the first of several.
            Assert.Equal(1, metrics.ErrorsTotal.SeriesCount);
            Assert.Equal(1, metrics.ErrorsTotal.WithLabels(failure!.GetType().Name, component).Value);
        }
        else
        {
            Assert.Equal(0, metrics.ErrorsTotal.SeriesCount);
        }

        if (c.Helper == Helper.SchedulerRun && succeeded)
        {
            Assert.Equal(1, metrics.SchedulerLastRun.SeriesCount);
            Assert.InRange(metrics.SchedulerLastRun.WithLabels(label).Value, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        }
        else
        {
            Assert.Equal(0, metrics.SchedulerLastRun.SeriesCount);
        }
    }

    /// <summary>The helper's outcome counter and its status values, null for a family without a status.</summary>
    private static (Counter Family, string? Success, string? Error) Outcomes(TrackedCase c, AriaMetrics metrics) => c.Helper switch
    {
        Helper.Request => (metrics.RequestTotal, "200", "500"),
        Helper.Llm => (metrics.LlmRequestTotal, "success", "error"),
        Helper.AgentTask => (metrics.AgentTaskTotal, "success", "error"),
        Helper.SkillExecution => (metrics.SkillExecutionTotal, "success", "error"),
        Helper.SchedulerRun => (metrics.SchedulerExecutionsTotal, "success", "error"),
        _ => (metrics.DbQueryTotal, null, null),
    };

    /// <summary>No labeled Aria family has a series: nothing was created, let alone counted.</summary>
    private static void AssertNothingRecorded(AriaMetrics metrics)
    {
        foreach (MetricFamily family in metrics.Registry.Families)
        {
            if (family.Name.StartsWith("aria_", StringComparison.Ordinal) && family.LabelNames.Count > 0 && family != metrics.BuildInfo)
            {
                Assert.True(family.SeriesCount == 0, $"{family.Name} has {family.SeriesCount} series after a refused call");
            }
        }
    }
}
