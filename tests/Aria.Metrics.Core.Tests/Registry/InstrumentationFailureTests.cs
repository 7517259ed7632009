namespace Aria.Metrics.Tests.Registry;

/// <summary>
/// <see cref="MetricRegistry.ReportInstrumentationFailure"/>: the path by which instrumentation that must not throw
/// into the code it measures accounts for its own failures.
/// </summary>
public sealed class InstrumentationFailureTests
{
    private readonly MetricRegistry _registry = new();
    private readonly List<InstrumentationFailure> _raised = [];

    public InstrumentationFailureTests() => _registry.InstrumentationFailed += (_, failure) => _raised.Add(failure);

    [Fact]
    public async Task The_counter_appears_with_the_first_failure_and_passes_the_external_judges()
    {
        Assert.Empty(Render.Text(_registry));

        _registry.ReportInstrumentationFailure("Tests.Helper", new InvalidOperationException("broken"));

        string text = Render.Text(_registry);
        Assert.Contains("# TYPE metrics_instrumentation_errors_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("metrics_instrumentation_errors_total 1\n", text, StringComparison.Ordinal);
        Assert.Equal(1, _registry.InstrumentationFailures);
        await ExternalValidators.AssertValidTextAsync(text);
        await ExternalValidators.AssertValidOpenMetricsAsync(Render.OpenMetrics(_registry));
    }

    [Fact]
    public void Every_failure_is_counted_and_each_cause_raised_once()
    {
        for (int i = 0; i < 3; i++)
        {
            _registry.ReportInstrumentationFailure("A", new IOException($"disk {i}"));
        }

        _registry.ReportInstrumentationFailure("A", new TimeoutException());
        _registry.ReportInstrumentationFailure("B", new IOException("other source"));

        Assert.Equal(5, _registry.InstrumentationFailures);
        Assert.Equal(
            ["A: IOException: disk 0", "A: TimeoutException: The operation has timed out.", "B: IOException: other source"],
            _raised.Select(failure => failure.ToString()));
    }

    [Fact]
    public void A_throwing_subscriber_is_contained()
    {
        _registry.InstrumentationFailed += (_, _) => throw new InvalidOperationException("the logger is broken");

        _registry.ReportInstrumentationFailure("A", new IOException());

        Assert.Single(_raised);
        Assert.Equal(1, _registry.InstrumentationFailures);
    }

    [Fact]
    public void A_name_taken_by_another_metric_leaves_the_failures_raised_but_uncounted()
    {
        _registry.CreateGauge("metrics_instrumentation_errors", "Not ours.", "kind");

        _registry.ReportInstrumentationFailure("A", new IOException());
        _registry.ReportInstrumentationFailure("A", new IOException());

        Assert.Single(_raised);
        Assert.Equal(0, _registry.InstrumentationFailures);
        Assert.DoesNotContain("metrics_instrumentation_errors_total", Render.Text(_registry), StringComparison.Ordinal);
    }

    [Fact]
    public void Reporting_never_throws_even_given_nothing()
    {
        _registry.ReportInstrumentationFailure(null!, null!);

        Assert.Equal(string.Empty, Assert.Single(_raised).Source);
        Assert.Equal(1, _registry.InstrumentationFailures);
    }

    [Fact]
    public void Reporting_a_cause_already_raised_allocates_nothing()
    {
        var failure = new IOException();
        for (int i = 0; i < 100; i++)
        {
            _registry.ReportInstrumentationFailure("A", failure);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            _registry.ReportInstrumentationFailure("A", failure);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(10_100, _registry.InstrumentationFailures);
    }
}
