using System.Runtime.CompilerServices;

namespace Aria.Metrics.Catalog;

/// <summary>Gateway layer: tracked requests (the ticket's <c>track_request</c>).</summary>
public sealed partial class AriaMetrics
{
    /// <summary>
    /// Runs a request and records it: <c>aria_requests_in_progress{method}</c> up for its duration,
    /// <c>aria_requests_total{method, status="200"|"500"}</c>, <c>aria_request_duration_seconds{method}</c> on the monotonic
    /// clock, and on failure <c>aria_errors_total{error_type=&lt;exception type name&gt;, component=method}</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Bad input is refused before the call runs: a label that is null, empty or refused by the registry (one holding a
    /// lone surrogate, say) throws an <see cref="ArgumentException"/> from this method and the operation is not called.
    /// The series recorded whatever the outcome, and a success's, are resolved then; those only a failure records carry
    /// the same label, and are looked up after one.
    /// </para>
    /// <para>
    /// After the call, nothing here throws: the caller gets the operation's outcome untouched. That is the operation's own
    /// task when it succeeded synchronously (nothing is allocated), otherwise a task that completes once the call is
    /// recorded, with the same result object, the same exception objects (every one of a fault that holds several, with
    /// their stack traces) or the same cancellation (a cancelled task stays cancelled, with its own exception). An
    /// exception the operation throws before returning a task is rethrown as it is. Should the recording itself fail, the
    /// failure is counted in <c>metrics_instrumentation_errors_total</c> and raised by
    /// <see cref="MetricRegistry.InstrumentationFailed"/> instead.
    /// </para>
    /// <para>
    /// A failure's type, in <c>aria_errors_total</c> where the helper counts errors, is that of the exception an await
    /// throws: the first of a fault that holds several. Cancellation counts as a failure: an
    /// <see cref="OperationCanceledException"/> is also how an <see cref="System.Net.Http.HttpClient"/> timeout surfaces,
    /// and a call that did not finish did not succeed. Async lambdas bind to the <see cref="Task"/> overloads; a lambda or
    /// method returning <see cref="ValueTask"/> binds to the <see cref="ValueTask"/> ones.
    /// </para>
    /// </remarks>
    /// <param name="method">The request method, the <c>method</c> label (for instance <c>chat</c>).</param>
    /// <param name="operation">The request's work.</param>
    /// <returns>The request's outcome, as the operation produced it.</returns>
    /// <exception cref="ArgumentException"><paramref name="method"/> is null or empty, or refused by the registry.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is null.</exception>
    [OverloadResolutionPriority(1)]
    public Task TrackRequestAsync(string method, Func<Task> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return RequestCall(method).Run(operation);
    }

    /// <inheritdoc cref="TrackRequestAsync(string, Func{Task})"/>
    /// <typeparam name="T">The request's result.</typeparam>
    [OverloadResolutionPriority(1)]
    public Task<T> TrackRequestAsync<T>(string method, Func<Task<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return RequestCall(method).Run(operation);
    }

    /// <inheritdoc cref="TrackRequestAsync(string, Func{Task})"/>
    public ValueTask TrackRequestAsync(string method, Func<ValueTask> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return RequestCall(method).Run(operation);
    }

    /// <inheritdoc cref="TrackRequestAsync(string, Func{Task})"/>
    /// <typeparam name="T">The request's result.</typeparam>
    public ValueTask<T> TrackRequestAsync<T>(string method, Func<ValueTask<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return RequestCall(method).Run(operation);
    }

    // Inlined into each overload: a tracked call is a few lookups and cell updates, and one call more was measurable.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TrackedCall RequestCall(string method)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        return new TrackedCall(
            Registry,
            "AriaMetrics.TrackRequestAsync",
            method,
            RequestTotal,
            ("200", "500"),
            RequestDuration,
            RequestInProgress,
            ErrorsTotal,
            errorComponent: method);
    }
}
