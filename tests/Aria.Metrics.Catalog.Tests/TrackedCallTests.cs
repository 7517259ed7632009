using Aria.Metrics.Catalog;

namespace Aria.Metrics.Catalog.Tests;

/// <summary>
/// <see cref="AriaMetrics.TrackRequestAsync(string, Func{Task})"/> and <see cref="AriaMetrics.TrackLlmAsync(string, Func{Task})"/>,
/// in all four task shapes, on success, failure and cancellation, whether the work completes synchronously, later, or
/// throws before it even returns a task.
/// </summary>
public sealed class TrackedCallTests
{
    private const string Label = "chat";

    public enum Kind
    {
        Request,
        Llm,
    }

    public enum Shape
    {
        Task,
        TaskOfT,
        ValueTask,
        ValueTaskOfT,
    }

    public enum Completion
    {
        /// <summary>The work returns a task that is already complete.</summary>
        Synchronous,

        /// <summary>The work yields and completes later.</summary>
        Asynchronous,

        /// <summary>The work throws before returning a task.</summary>
        BeforeTask,
    }

    public static TheoryData<Kind, Shape, Completion> SuccessCases =>
        Cases(Completion.Synchronous, Completion.Asynchronous);

    public static TheoryData<Kind, Shape, Completion> FailureCases =>
        Cases(Completion.Synchronous, Completion.Asynchronous, Completion.BeforeTask);

    [Theory]
    [MemberData(nameof(SuccessCases))]
    public async Task A_successful_call_is_recorded(Kind kind, Shape shape, Completion completion)
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        int result = await Track(metrics, kind, shape, completion, failure: null);

        Assert.Equal(shape is Shape.TaskOfT or Shape.ValueTaskOfT ? 42 : 0, result);
        AssertRecorded(metrics, kind, errorType: null);
    }

    [Theory]
    [MemberData(nameof(FailureCases))]
    public async Task A_failing_call_is_recorded_and_its_exception_rethrown_unchanged(Kind kind, Shape shape, Completion completion)
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        var failure = new InvalidOperationException("the model is down");

        InvalidOperationException caught =
            await Assert.ThrowsAsync<InvalidOperationException>(() => Track(metrics, kind, shape, completion, failure));

        Assert.Same(failure, caught);
        if (completion != Completion.Synchronous)
        {
            // Thrown (not merely stored in a task): the frame that threw it is still on its stack trace.
            Assert.Contains(nameof(ThrowIfFailing), caught.StackTrace, StringComparison.Ordinal);
        }

        AssertRecorded(metrics, kind, errorType: "InvalidOperationException");
    }

    [Theory]
    [MemberData(nameof(FailureCases))]
    public async Task A_cancelled_call_counts_as_a_failure(Kind kind, Shape shape, Completion completion)
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        var cancellation = new OperationCanceledException("the caller gave up");

        OperationCanceledException caught =
            await Assert.ThrowsAsync<OperationCanceledException>(() => Track(metrics, kind, shape, completion, cancellation));

        Assert.Same(cancellation, caught);
        AssertRecorded(metrics, kind, errorType: "OperationCanceledException");
    }

    [Theory]
    [InlineData(Kind.Request)]
    [InlineData(Kind.Llm)]
    public async Task A_cancelled_task_counts_as_a_failure(Kind kind)
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        Func<Task> cancelled = static () => Task.FromCanceled(new CancellationToken(canceled: true));

        await Assert.ThrowsAsync<TaskCanceledException>(
            () => kind == Kind.Request ? metrics.TrackRequestAsync(Label, cancelled) : metrics.TrackLlmAsync(Label, cancelled));

        AssertRecorded(metrics, kind, errorType: "TaskCanceledException");
    }

    [Fact]
    public async Task The_in_progress_gauge_is_up_while_a_request_runs()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task first = metrics.TrackRequestAsync(Label, () => release.Task);
        Task second = metrics.TrackRequestAsync(Label, () => release.Task);
        Assert.Equal(2, metrics.RequestInProgress.WithLabels(Label).Value);
        Assert.Equal(0, metrics.RequestDuration.WithLabels(Label).Count);

        release.SetResult();
        await Task.WhenAll(first, second);
        Assert.Equal(0, metrics.RequestInProgress.WithLabels(Label).Value);
        Assert.Equal(2, metrics.RequestTotal.WithLabels(Label, "200").Value);
    }

    [Theory]
    [InlineData(Kind.Request)]
    [InlineData(Kind.Llm)]
    public async Task The_duration_is_the_time_the_call_took(Kind kind)
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        Func<Task> slow = static () => Task.Delay(TimeSpan.FromMilliseconds(120));

        await (kind == Kind.Request ? metrics.TrackRequestAsync(Label, slow) : metrics.TrackLlmAsync(Label, slow));

        HistogramSeries duration = (kind == Kind.Request ? metrics.RequestDuration : metrics.LlmRequestDuration).WithLabels(Label);
        Assert.Equal(1, duration.Count);
        Assert.InRange(duration.Sum, 0.1, 30);
    }

    [Fact]
    public async Task Bad_arguments_throw_at_the_call_and_run_nothing()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        bool ran = false;
        Func<Task> work = () =>
        {
            ran = true;
            return Task.CompletedTask;
        };

        await Assert.ThrowsAsync<ArgumentNullException>(() => metrics.TrackRequestAsync(null!, work));
        await Assert.ThrowsAsync<ArgumentException>(() => metrics.TrackRequestAsync(string.Empty, work));
        await Assert.ThrowsAsync<ArgumentException>(() => metrics.TrackLlmAsync(string.Empty, work));
        await Assert.ThrowsAsync<ArgumentNullException>(() => metrics.TrackRequestAsync(Label, (Func<Task>)null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => metrics.TrackLlmAsync(Label, (Func<Task<int>>)null!));

        Assert.False(ran);
        Assert.Equal(0, metrics.RequestInProgress.SeriesCount);
        Assert.Equal(0, metrics.RequestTotal.SeriesCount);
        Assert.Equal(0, metrics.LlmRequestTotal.SeriesCount);
    }

    [Fact]
    public async Task A_null_task_is_a_failure_of_the_operation()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        await Assert.ThrowsAsync<InvalidOperationException>(() => metrics.TrackRequestAsync(Label, () => null!));

        AssertRecorded(metrics, Kind.Request, errorType: "InvalidOperationException");
    }

    [Fact]
    public async Task Async_lambdas_bind_to_the_Task_overloads_and_ValueTask_lambdas_to_the_ValueTask_ones()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());

        Task plain = metrics.TrackRequestAsync(Label, async () => await Task.Yield());
        Task<int> valued = metrics.TrackLlmAsync(Label, async () =>
        {
            await Task.Yield();
            return 1;
        });
        ValueTask explicitValueTask = metrics.TrackRequestAsync(Label, async ValueTask () => await Task.Yield());
        ValueTask<int> valueTaskResult = metrics.TrackLlmAsync(Label, static () => new ValueTask<int>(2));

        await plain;
        Assert.Equal(1, await valued);
        await explicitValueTask;
        Assert.Equal(2, await valueTaskResult);
        Assert.Equal(2, metrics.RequestTotal.WithLabels(Label, "200").Value);
        Assert.Equal(2, metrics.LlmRequestTotal.WithLabels(Label, "success").Value);
    }

    private static TheoryData<Kind, Shape, Completion> Cases(params Completion[] completions)
    {
        var data = new TheoryData<Kind, Shape, Completion>();
        foreach (Kind kind in Enum.GetValues<Kind>())
        {
            foreach (Shape shape in Enum.GetValues<Shape>())
            {
                foreach (Completion completion in completions)
                {
                    data.Add(kind, shape, completion);
                }
            }
        }

        return data;
    }

    private static void AssertRecorded(AriaMetrics metrics, Kind kind, string? errorType)
    {
        bool succeeded = errorType is null;
        if (kind == Kind.Request)
        {
            Assert.Equal(1, metrics.RequestTotal.SeriesCount);
            Assert.Equal(1, metrics.RequestTotal.WithLabels(Label, succeeded ? "200" : "500").Value);
            Assert.Equal(1, metrics.RequestDuration.WithLabels(Label).Count);
            Assert.Equal(0, metrics.RequestInProgress.WithLabels(Label).Value);
            Assert.Equal(0, metrics.LlmRequestTotal.SeriesCount);
        }
        else
        {
            Assert.Equal(1, metrics.LlmRequestTotal.SeriesCount);
            Assert.Equal(1, metrics.LlmRequestTotal.WithLabels(Label, succeeded ? "success" : "error").Value);
            Assert.Equal(1, metrics.LlmRequestDuration.WithLabels(Label).Count);
            Assert.Equal(0, metrics.RequestInProgress.SeriesCount);
            Assert.Equal(0, metrics.RequestTotal.SeriesCount);
        }

        if (succeeded)
        {
            Assert.Equal(0, metrics.ErrorsTotal.SeriesCount);
        }
        else
        {
            Assert.Equal(1, metrics.ErrorsTotal.SeriesCount);
            Assert.Equal(1, metrics.ErrorsTotal.WithLabels(errorType!, kind == Kind.Request ? Label : "llm").Value);
        }
    }

    /// <summary>Tracks one call of the given shape and completion; the result is 42 for the shapes that have one, else 0.</summary>
    private static async Task<int> Track(AriaMetrics metrics, Kind kind, Shape shape, Completion completion, Exception? failure)
    {
        bool request = kind == Kind.Request;
        switch (shape)
        {
            case Shape.Task:
            {
                Func<Task> work = completion switch
                {
                    Completion.Synchronous => () => failure is null ? Task.CompletedTask : Task.FromException(failure),
                    Completion.Asynchronous => async () =>
                    {
                        await Task.Yield();
                        ThrowIfFailing(failure);
                    },
                    _ => () =>
                    {
                        ThrowIfFailing(failure);
                        return Task.CompletedTask;
                    },
                };
                await (request ? metrics.TrackRequestAsync(Label, work) : metrics.TrackLlmAsync(Label, work));
                return 0;
            }

            case Shape.TaskOfT:
            {
                Func<Task<int>> work = completion switch
                {
                    Completion.Synchronous => () => failure is null ? Task.FromResult(42) : Task.FromException<int>(failure),
                    Completion.Asynchronous => async () =>
                    {
                        await Task.Yield();
                        ThrowIfFailing(failure);
                        return 42;
                    },
                    _ => () =>
                    {
                        ThrowIfFailing(failure);
                        return Task.FromResult(42);
                    },
                };
                return await (request ? metrics.TrackRequestAsync(Label, work) : metrics.TrackLlmAsync(Label, work));
            }

            case Shape.ValueTask:
            {
                Func<ValueTask> work = completion switch
                {
                    Completion.Synchronous => () => failure is null ? ValueTask.CompletedTask : ValueTask.FromException(failure),
                    Completion.Asynchronous => async () =>
                    {
                        await Task.Yield();
                        ThrowIfFailing(failure);
                    },
                    _ => () =>
                    {
                        ThrowIfFailing(failure);
                        return ValueTask.CompletedTask;
                    },
                };
                await (request ? metrics.TrackRequestAsync(Label, work) : metrics.TrackLlmAsync(Label, work));
                return 0;
            }

            default:
            {
                Func<ValueTask<int>> work = completion switch
                {
                    Completion.Synchronous => () => failure is null ? new ValueTask<int>(42) : ValueTask.FromException<int>(failure),
                    Completion.Asynchronous => async () =>
                    {
                        await Task.Yield();
                        ThrowIfFailing(failure);
                        return 42;
                    },
                    _ => () =>
                    {
                        ThrowIfFailing(failure);
                        return new ValueTask<int>(42);
                    },
                };
                return await (request ? metrics.TrackRequestAsync(Label, work) : metrics.TrackLlmAsync(Label, work));
            }
        }
    }

    private static void ThrowIfFailing(Exception? failure)
    {
        if (failure is not null)
        {
            throw failure;
        }
    }
}
