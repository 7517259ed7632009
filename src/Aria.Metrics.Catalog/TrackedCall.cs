using System.Diagnostics;

namespace Aria.Metrics.Catalog;

/// <summary>
/// One tracked request or LLM call in flight, and what to record when it ends: the ticket's <c>track_request</c> and
/// <c>track_llm</c>. A struct, so that a call that completes synchronously allocates nothing here; only one that
/// suspends copies it into the state machine of the await, which the awaited call's own suspension already costs.
/// </summary>
internal readonly struct TrackedCall
{
    private const string LlmComponent = "llm";

    private readonly AriaMetrics _metrics;
    private readonly string _label;
    private readonly bool _isRequest;
    private readonly long _started;

    private TrackedCall(AriaMetrics metrics, string label, bool isRequest)
    {
        _metrics = metrics;
        _label = label;
        _isRequest = isRequest;
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>Starts a request: the in-progress gauge goes up now, and down when the request ends.</summary>
    public static TrackedCall StartRequest(AriaMetrics metrics, string method)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        metrics.RequestInProgress.WithLabels(method).Inc();
        return new TrackedCall(metrics, method, isRequest: true);
    }

    /// <summary>Starts an LLM call.</summary>
    public static TrackedCall StartLlm(AriaMetrics metrics, string model)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        return new TrackedCall(metrics, model, isRequest: false);
    }

    /// <summary>Runs <paramref name="operation"/> and records how it ended; its exception, if any, is rethrown unchanged.</summary>
    public Task Run(Func<Task> operation)
    {
        Task task;
        try
        {
            task = operation() ?? throw new InvalidOperationException(NullTask);
        }
        catch (Exception exception)
        {
            End(exception);
            throw;
        }

        if (task.IsCompletedSuccessfully)
        {
            End(null);
            return task;
        }

        return AwaitAsync(this, task);
    }

    /// <inheritdoc cref="Run(Func{Task})"/>
    public Task<T> Run<T>(Func<Task<T>> operation)
    {
        Task<T> task;
        try
        {
            task = operation() ?? throw new InvalidOperationException(NullTask);
        }
        catch (Exception exception)
        {
            End(exception);
            throw;
        }

        if (task.IsCompletedSuccessfully)
        {
            End(null);
            return task;
        }

        return AwaitAsync(this, task);
    }

    /// <inheritdoc cref="Run(Func{Task})"/>
    public ValueTask Run(Func<ValueTask> operation)
    {
        ValueTask task;
        try
        {
            task = operation();
        }
        catch (Exception exception)
        {
            End(exception);
            throw;
        }

        if (task.IsCompletedSuccessfully)
        {
            End(null);
            return task;
        }

        return AwaitAsync(this, task);
    }

    /// <inheritdoc cref="Run(Func{Task})"/>
    public ValueTask<T> Run<T>(Func<ValueTask<T>> operation)
    {
        ValueTask<T> task;
        try
        {
            task = operation();
        }
        catch (Exception exception)
        {
            End(exception);
            throw;
        }

        if (task.IsCompletedSuccessfully)
        {
            End(null);
            return task;
        }

        return AwaitAsync(this, task);
    }

    private const string NullTask = "The tracked operation returned null instead of a task.";

    private static async Task AwaitAsync(TrackedCall call, Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            call.End(exception);
            throw;
        }

        call.End(null);
    }

    private static async Task<T> AwaitAsync<T>(TrackedCall call, Task<T> task)
    {
        T result;
        try
        {
            result = await task.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            call.End(exception);
            throw;
        }

        call.End(null);
        return result;
    }

    private static async ValueTask AwaitAsync(TrackedCall call, ValueTask task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            call.End(exception);
            throw;
        }

        call.End(null);
    }

    private static async ValueTask<T> AwaitAsync<T>(TrackedCall call, ValueTask<T> task)
    {
        T result;
        try
        {
            result = await task.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            call.End(exception);
            throw;
        }

        call.End(null);
        return result;
    }

    /// <summary>Records the end of the call, in the ticket's order: error, total, duration, then in-progress down.</summary>
    private void End(Exception? failure)
    {
        double seconds = (Stopwatch.GetTimestamp() - _started) / (double)Stopwatch.Frequency;
        if (_isRequest)
        {
            if (failure is not null)
            {
                _metrics.RecordError(failure, _label);
            }

            _metrics.RequestTotal.WithLabels(_label, failure is null ? "200" : "500").Inc();
            _metrics.RequestDuration.WithLabels(_label).Observe(seconds);
            _metrics.RequestInProgress.WithLabels(_label).Dec();
        }
        else
        {
            if (failure is not null)
            {
                _metrics.RecordError(failure, LlmComponent);
            }

            _metrics.LlmRequestTotal.WithLabels(_label, failure is null ? "success" : "error").Inc();
            _metrics.LlmRequestDuration.WithLabels(_label).Observe(seconds);
        }
    }
}
