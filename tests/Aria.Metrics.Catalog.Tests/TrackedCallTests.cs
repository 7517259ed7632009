using System.Runtime.CompilerServices;
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

    [Fact]
    public async Task A_model_the_registry_refuses_stops_the_LLM_call_before_it_is_made()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        bool billed = false;

        ArgumentException refused = await Assert.ThrowsAsync<ArgumentException>(() => metrics.TrackLlmAsync("gpt-4o\uD800", () =>
        {
            billed = true;
            return Task.FromResult("a completion");
        }));

        Assert.False(billed);
        Assert.Contains("aria_llm_requests_total", refused.Message, StringComparison.Ordinal);
        Assert.Contains("lone surrogate", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, metrics.LlmRequestTotal.SeriesCount);
        Assert.Equal(0, metrics.LlmRequestDuration.SeriesCount);
    }

    [Theory]
    [InlineData(Kind.Request)]
    [InlineData(Kind.Llm)]
    public async Task Every_exception_of_a_multi_exception_fault_reaches_the_caller(Kind kind)
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        var first = new HttpRequestException("primary down");
        var second = new TimeoutException("fallback timed out");
        Func<Task> both = () => Task.WhenAll(FailLaterAsync(first), FailLaterAsync(second));

        Task tracked = kind == Kind.Request ? metrics.TrackRequestAsync(Label, both) : metrics.TrackLlmAsync(Label, both);

        Assert.Same(first, await Assert.ThrowsAsync<HttpRequestException>(() => tracked));
        Assert.Equal([first, second], tracked.Exception!.InnerExceptions);
        Assert.All(tracked.Exception.InnerExceptions, e => Assert.Contains(nameof(FailLaterAsync), e.StackTrace, StringComparison.Ordinal));
        AssertRecorded(metrics, kind, errorType: nameof(HttpRequestException));
    }

    [Theory]
    [InlineData(Kind.Request)]
    [InlineData(Kind.Llm)]
    public async Task A_cancelled_call_comes_back_cancelled_with_its_own_exception(Kind kind)
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        using var source = new CancellationTokenSource();
        var cancellation = new OperationCanceledException("the user closed the tab", source.Token);
        Func<Task<int>> work = async () =>
        {
            await Task.Yield();
            throw cancellation;
        };

        Task<int> tracked = kind == Kind.Request ? metrics.TrackRequestAsync(Label, work) : metrics.TrackLlmAsync(Label, work);

        Assert.Same(cancellation, await Assert.ThrowsAsync<OperationCanceledException>(() => tracked));
        Assert.Equal(TaskStatus.Canceled, tracked.Status);
    }

    [Fact]
    public void A_call_that_succeeded_synchronously_gets_its_own_task_back()
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        Task<string> own = Task.FromResult("reply");

        Assert.Same(own, metrics.TrackRequestAsync(Label, () => own));
        Assert.Same(own, metrics.TrackLlmAsync(Label, () => own));
        Assert.Same(own, metrics.TrackDbQueryAsync("select", () => own));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_failure_nobody_awaits_still_reaches_UnobservedTaskException(bool synchronously)
    {
        var metrics = AriaMetrics.For(new MetricRegistry());
        var failure = new InvalidOperationException("fire and forget");
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        EventHandler<UnobservedTaskExceptionEventArgs> watch = (_, e) =>
        {
            if (e.Exception.InnerExceptions.Contains(failure))
            {
                seen.TrySetResult();
            }
        };
        TaskScheduler.UnobservedTaskException += watch;
        try
        {
            await FireAndForgetAsync(metrics, failure, synchronously);
            for (int i = 0; i < 50 && !seen.Task.IsCompleted; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                await Task.Delay(10);
            }

            Assert.True(seen.Task.IsCompleted, "the unobserved failure was swallowed");
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= watch;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Task FireAndForgetAsync(AriaMetrics metrics, Exception failure, bool synchronously)
    {
        // The tracked task is dropped here, unawaited, and becomes garbage once it has failed.
        _ = synchronously
            ? metrics.TrackRequestAsync(Label, () => Task.FromException(failure))
            : metrics.TrackRequestAsync(Label, async () =>
            {
                await Task.Yield();
                throw failure;
            });
        Assert.True(SpinWait.SpinUntil(() => metrics.RequestTotal.WithLabels(Label, "500").Value == 1, TimeSpan.FromSeconds(30)));
        return Task.CompletedTask;
    }

    private static async Task FailLaterAsync(Exception failure)
    {
        await Task.Yield();
        throw failure;
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
        // The success series exists once a label has been tracked (it is resolved before the call); a failure's, once
        // there has been a failure.
        if (kind == Kind.Request)
        {
            Assert.Equal(succeeded ? 1 : 2, metrics.RequestTotal.SeriesCount);
            Assert.Equal(succeeded ? 1 : 0, metrics.RequestTotal.WithLabels(Label, "200").Value);
            Assert.Equal(succeeded ? 0 : 1, metrics.RequestTotal.WithLabels(Label, "500").Value);
            Assert.Equal(1, metrics.RequestDuration.WithLabels(Label).Count);
            Assert.Equal(0, metrics.RequestInProgress.WithLabels(Label).Value);
            Assert.Equal(0, metrics.LlmRequestTotal.SeriesCount);
        }
        else
        {
            Assert.Equal(succeeded ? 1 : 2, metrics.LlmRequestTotal.SeriesCount);
            Assert.Equal(succeeded ? 1 : 0, metrics.LlmRequestTotal.WithLabels(Label, "success").Value);
            Assert.Equal(succeeded ? 0 : 1, metrics.LlmRequestTotal.WithLabels(Label, "error").Value);
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
