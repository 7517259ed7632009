namespace Aria.Metrics;

/// <summary>
/// A failure inside instrumentation that was kept from the code being measured, as raised by
/// <see cref="MetricRegistry.InstrumentationFailed"/>.
/// </summary>
public sealed class InstrumentationFailure
{
    internal InstrumentationFailure(string source, Exception exception)
    {
        Source = source;
        Exception = exception;
    }

    /// <summary>Which instrumentation failed, as its reporter names it: for instance <c>AriaMetrics.TrackLlmAsync</c>.</summary>
    public string Source { get; }

    /// <summary>What went wrong; the measurement it interrupted was lost.</summary>
    public Exception Exception { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Source}: {Exception.GetType().Name}: {Exception.Message}";
}
