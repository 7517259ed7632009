using System.Collections.Concurrent;

namespace Aria.Metrics;

/// <summary>The registry's account of failures inside instrumentation that were kept from the code being measured.</summary>
public sealed partial class MetricRegistry
{
    private const string InstrumentationErrorsName = "metrics_instrumentation_errors_total";

    private const string InstrumentationErrorsHelp =
        "Failures inside instrumentation that were kept from the code being measured; each lost a measurement.";

    // The causes reported so far: a failure that repeats on every call is raised once, not once per call.
    private readonly ConcurrentDictionary<(string Source, Type Kind), bool> _reportedCauses = new();
    private Counter? _instrumentationErrors;
    private int _instrumentationCounterRefused;

    /// <summary>
    /// Raised by <see cref="ReportInstrumentationFailure"/> the first time a source reports a kind of exception (once per
    /// source and exception type), so that a failure repeating on every call is raised once; the host logs it.
    /// </summary>
    public event EventHandler<InstrumentationFailure>? InstrumentationFailed;

    /// <summary>How many failures <see cref="ReportInstrumentationFailure"/> has counted: every one, not once per cause.</summary>
    public long InstrumentationFailures => (long)(Volatile.Read(ref _instrumentationErrors)?.Value ?? 0);

    /// <summary>
    /// Reports a failure inside instrumentation that its caller kept from the code being measured, where throwing would
    /// change the outcome of that code (a tracked call that has already run, a callback of a bridged meter). It is
    /// counted in <c>metrics_instrumentation_errors_total</c>, registered at the first report, and raised through
    /// <see cref="InstrumentationFailed"/> once per source and exception type. This method never throws, and once a cause
    /// has been raised, reporting it again allocates nothing.
    /// </summary>
    /// <param name="source">Which instrumentation failed: a constant, such as the name of the helper.</param>
    /// <param name="exception">What went wrong.</param>
    /// <remarks>
    /// Should the name <c>metrics_instrumentation_errors_total</c> be taken by a different metric, the failures are only
    /// raised, not counted.
    /// </remarks>
    public void ReportInstrumentationFailure(string source, Exception exception)
    {
        // Called from catch blocks that must not throw: the arguments are not checked but tolerated.
        source ??= string.Empty;
        exception ??= new ArgumentNullException(nameof(exception));
        InstrumentationErrorCounter()?.Inc();
        if (_reportedCauses.TryAdd((source, exception.GetType()), true))
        {
            RaiseInstrumentationFailed(new InstrumentationFailure(source, exception));
        }
    }

    private Counter? InstrumentationErrorCounter()
    {
        Counter? counter = Volatile.Read(ref _instrumentationErrors);
        if (counter is not null || Volatile.Read(ref _instrumentationCounterRefused) != 0)
        {
            return counter;
        }

        try
        {
            counter = CreateCounter(InstrumentationErrorsName, InstrumentationErrorsHelp);
            Volatile.Write(ref _instrumentationErrors, counter);
            return counter;
        }
        catch (InvalidOperationException)
        {
            // The name is taken by a different metric: remember it, so that later reports do not throw and catch again.
            Volatile.Write(ref _instrumentationCounterRefused, 1);
            return null;
        }
    }

    private void RaiseInstrumentationFailed(InstrumentationFailure failure)
    {
        try
        {
            InstrumentationFailed?.Invoke(this, failure);
        }
#pragma warning disable CA1031 // A failing subscriber (a logger, say) must not reach the code being measured either.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
