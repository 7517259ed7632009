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
    /// The task returned is the operation's own when it completes synchronously, so that path allocates nothing; otherwise
    /// it completes when the operation does. A failure is rethrown unchanged (the same exception object, its stack kept).
    /// Cancellation counts as a failure: an <see cref="OperationCanceledException"/> is also how an
    /// <see cref="System.Net.Http.HttpClient"/> timeout surfaces, and a request that did not finish did not succeed.
    /// Async lambdas bind to the <see cref="Task"/> overloads; a lambda or method returning <see cref="ValueTask"/> binds to
    /// the <see cref="ValueTask"/> ones.
    /// </remarks>
    /// <param name="method">The request method, the <c>method</c> label (for instance <c>chat</c>).</param>
    /// <param name="operation">The request's work.</param>
    /// <exception cref="ArgumentException"><paramref name="method"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is null.</exception>
    [OverloadResolutionPriority(1)]
    public Task TrackRequestAsync(string method, Func<Task> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return TrackedCall.StartRequest(this, method).Run(operation);
    }

    /// <inheritdoc cref="TrackRequestAsync(string, Func{Task})"/>
    /// <typeparam name="T">The request's result.</typeparam>
    [OverloadResolutionPriority(1)]
    public Task<T> TrackRequestAsync<T>(string method, Func<Task<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return TrackedCall.StartRequest(this, method).Run(operation);
    }

    /// <inheritdoc cref="TrackRequestAsync(string, Func{Task})"/>
    public ValueTask TrackRequestAsync(string method, Func<ValueTask> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return TrackedCall.StartRequest(this, method).Run(operation);
    }

    /// <inheritdoc cref="TrackRequestAsync(string, Func{Task})"/>
    /// <typeparam name="T">The request's result.</typeparam>
    public ValueTask<T> TrackRequestAsync<T>(string method, Func<ValueTask<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return TrackedCall.StartRequest(this, method).Run(operation);
    }
}
