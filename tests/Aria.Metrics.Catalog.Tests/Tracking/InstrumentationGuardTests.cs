namespace Aria.Metrics.Catalog.Tests.Tracking;

/// <summary>
/// The guard on the recording after a tracked call: whatever fails there is counted and reported to the registry, and
/// the caller gets the call's outcome all the same. No label a helper accepts makes the catalog's own recording fail
/// (every series it records is resolved before the call), so these tests give <see cref="TrackedCall"/> series that
/// the registry refuses after the call: families with more labels than the call gives them.
/// </summary>
public sealed class InstrumentationGuardTests
{
    private const string Source = "Tests.BrokenHelper";
    private const string Label = "chat";

    private readonly MetricRegistry _registry = new();
    private readonly List<InstrumentationFailure> _reported = [];

    public InstrumentationGuardTests() => _registry.InstrumentationFailed += (_, failure) => _reported.Add(failure);

    public enum Settled
    {
        Synchronously,
        Asynchronously,
        BeforeTask,
    }

    [Theory]
    [InlineData(Settled.Synchronously)]
    [InlineData(Settled.Asynchronously)]
    [InlineData(Settled.BeforeTask)]
    public async Task A_failure_recording_a_failed_call_is_counted_and_the_caller_gets_the_call_s_own_exception(Settled settled)
    {
        TrackedCall call = BrokenOnFailure(out CounterSeries succeeded, out CounterSeries failed, out GaugeSeries inProgress);
        var failure = new TimeoutException("the model is slow");
        Func<Task> operation = settled switch
        {
            Settled.Synchronously => () => Task.FromException(failure),
            Settled.Asynchronously => async () =>
            {
                await Task.Yield();
                throw failure;
            },
            _ => () => throw failure,
        };

        TimeoutException caught = await Assert.ThrowsAsync<TimeoutException>(() => call.Run(operation));

        Assert.Same(failure, caught);
        Assert.Equal(0, succeeded.Value);
        Assert.Equal(1, failed.Value);
        Assert.Equal(0, inProgress.Value);
        AssertReportedOnce(expectedCount: 1);
    }

    [Theory]
    [InlineData(Settled.Synchronously)]
    [InlineData(Settled.Asynchronously)]
    public async Task A_failure_recording_a_success_is_counted_and_the_caller_gets_the_result(Settled settled)
    {
        TrackedCall call = BrokenOnSuccess(out CounterSeries succeeded);
        var result = new object();
        Func<ValueTask<object>> operation = settled == Settled.Synchronously
            ? () => new ValueTask<object>(result)
            : async () =>
            {
                await Task.Yield();
                return result;
            };

        Assert.Same(result, await call.Run(operation));

        Assert.Equal(1, succeeded.Value);
        AssertReportedOnce(expectedCount: 1);
    }

    [Fact]
    public async Task A_repeating_failure_is_counted_every_time_and_reported_once()
    {
        TrackedCall call = BrokenOnFailure(out _, out CounterSeries failed, out _);
        var several = new AggregateException(new IOException("disk"), new IOException("again"));
        for (int i = 0; i < 5; i++)
        {
            Task tracked = call.Run(() => Task.WhenAll(Task.FromException(several.InnerExceptions[0]), Task.FromException(several.InnerExceptions[1])));
            await Assert.ThrowsAsync<IOException>(() => tracked);
            Assert.Equal(several.InnerExceptions, tracked.Exception!.InnerExceptions);
        }

        Assert.Equal(5, failed.Value);
        AssertReportedOnce(expectedCount: 5);
        Assert.Contains("metrics_instrumentation_errors_total 5\n", Render.Text(_registry), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_call_stays_cancelled_when_its_recording_fails()
    {
        TrackedCall call = BrokenOnFailure(out _, out CounterSeries failed, out _);
        using var source = new CancellationTokenSource();
        var cancellation = new OperationCanceledException("the caller gave up", source.Token);

        Task<int> tracked = call.Run<int>(async Task<int> () =>
        {
            await Task.Yield();
            throw cancellation;
        });

        Assert.Same(cancellation, await Assert.ThrowsAsync<OperationCanceledException>(() => tracked));
        Assert.True(tracked.IsCanceled);
        Assert.Equal(1, failed.Value);
        AssertReportedOnce(expectedCount: 1);
    }

    [Fact]
    public async Task A_throwing_subscriber_does_not_reach_the_caller_either()
    {
        _registry.InstrumentationFailed += (_, _) => throw new InvalidOperationException("the logger is broken");
        TrackedCall call = BrokenOnSuccess(out CounterSeries succeeded);

        Assert.Equal(7, await call.Run(static () => Task.FromResult(7)));

        Assert.Equal(1, succeeded.Value);
        AssertReportedOnce(expectedCount: 1);
    }

    /// <summary>A call whose error count, looked up after a failure, is in a family of three labels: the registry refuses two.</summary>
    private TrackedCall BrokenOnFailure(out CounterSeries succeeded, out CounterSeries failed, out GaugeSeries inProgress)
    {
        Counter outcomes = _registry.CreateCounter("calls_total", "Calls.", "call", "status");
        Gauge running = _registry.CreateGauge("calls_in_progress", "Calls running.", "call");
        var call = new TrackedCall(
            _registry,
            Source,
            Label,
            outcomes,
            ("success", "error"),
            inProgress: running,
            errors: _registry.CreateCounter("broken_errors_total", "Three labels where two are given.", "a", "b", "c"),
            errorComponent: "component");
        succeeded = outcomes.WithLabels(Label, "success");
        failed = outcomes.WithLabels(Label, "error");
        inProgress = running.WithLabels(Label);
        return call;
    }

    /// <summary>A call whose last-success gauge, looked up after a success, has two labels where one is given.</summary>
    private TrackedCall BrokenOnSuccess(out CounterSeries succeeded)
    {
        Counter outcomes = _registry.CreateCounter("calls_total", "Calls.", "call", "status");
        var call = new TrackedCall(
            _registry,
            Source,
            Label,
            outcomes,
            ("success", "error"),
            _registry.CreateHistogram("call_seconds", "Call duration.", [1], "call"),
            lastSuccess: _registry.CreateGauge("broken_last_success", "Two labels where one is given.", "a", "b"));
        succeeded = outcomes.WithLabels(Label, "success");
        return call;
    }

    private void AssertReportedOnce(long expectedCount)
    {
        InstrumentationFailure failure = Assert.Single(_reported);
        Assert.Equal(Source, failure.Source);
        Assert.Contains("broken_", Assert.IsAssignableFrom<ArgumentException>(failure.Exception).Message, StringComparison.Ordinal);
        Assert.Equal(expectedCount, _registry.InstrumentationFailures);
    }
}
