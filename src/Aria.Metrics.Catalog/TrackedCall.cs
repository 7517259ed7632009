using System.Diagnostics;

namespace Aria.Metrics.Catalog;

/// <summary>
/// One tracked call and what to record when it ends, shared by every helper that wraps a call (requests, LLM calls,
/// agent tasks, skills, scheduler runs, database queries): each layer says which series it records, resolved before the
/// call, and this runs the call and records it.
/// </summary>
/// <remarks>
/// <para>
/// The rule: bad input is refused before the call runs (the layer resolves every series whose labels it knows, and the
/// registry refuses a bad label then), and nothing after the call can throw into the caller. The recording after the
/// call is guarded: should it fail, the failure goes to <see cref="MetricRegistry.ReportInstrumentationFailure"/> and
/// the caller gets the call's outcome all the same.
/// </para>
/// <para>
/// The outcome passes through untouched. A call that succeeded synchronously hands back its own task (nothing is
/// allocated); any other gets a task that completes after the recording and takes the operation's outcome through
/// <see cref="TaskExtensions.Unwrap(Task{Task})"/>, which moves it as it is: the same result, a cancellation as a
/// cancellation with its own exception (Unwrap hands back the operation's own task when it has already completed). A
/// fault is moved from a fresh task holding the same exception objects, every one, with their stack traces: reading
/// its type for <c>aria_errors_total</c> marks the operation's task as observed, and the caller's task must not be, so
/// that a failure nobody awaits still reaches <see cref="TaskScheduler.UnobservedTaskException"/>. An exception thrown
/// before a task exists is rethrown as it is.
/// </para>
/// <para>
/// A struct, so that a call that completes synchronously allocates nothing here; one that suspends copies it into the
/// state machine that waits for it.
/// </para>
/// </remarks>
internal readonly struct TrackedCall
{
    private readonly MetricRegistry _registry;
    private readonly string _source;
    private readonly CounterSeries _succeeded;
    private readonly CounterSeries _failed;

    /// <summary>A call that counts its outcome in <paramref name="succeeded"/> or <paramref name="failed"/>.</summary>
    /// <param name="registry">Where a failure of the recording is reported.</param>
    /// <param name="source">The helper's name, as the report gives it.</param>
    /// <param name="succeeded">Counted when the call succeeds.</param>
    /// <param name="failed">Counted when it fails or is cancelled; the same series as <paramref name="succeeded"/> where the outcome is not a label.</param>
    public TrackedCall(MetricRegistry registry, string source, CounterSeries succeeded, CounterSeries failed)
    {
        _registry = registry;
        _source = source;
        _succeeded = succeeded;
        _failed = failed;
    }

    /// <summary>Observes the call's duration in seconds, on the monotonic clock, whatever its outcome.</summary>
    public HistogramSeries? Duration { get; init; }

    /// <summary>Up by one while the call runs.</summary>
    public GaugeSeries? InProgress { get; init; }

    /// <summary>
    /// On failure, counts the exception's type name and <see cref="ErrorComponent"/> (<c>error_type</c>, <c>component</c>).
    /// The type is only known after the call, so this series is looked up then.
    /// </summary>
    public Counter? Errors { get; init; }

    /// <summary>The <c>component</c> label of <see cref="Errors"/>.</summary>
    public string? ErrorComponent { get; init; }

    /// <summary>
    /// On success, set to the current time by <see cref="LastSuccessLabel"/>. Looked up after the call: created before,
    /// it would show a success at time 0 for a job that never had one.
    /// </summary>
    public Gauge? LastSuccess { get; init; }

    /// <summary>The label value of <see cref="LastSuccess"/>.</summary>
    public string? LastSuccessLabel { get; init; }

    /// <summary>Runs <paramref name="operation"/> and records how it ended; the caller gets its outcome untouched.</summary>
    public Task Run(Func<Task> operation)
    {
        long started = Start();
        Task task = Invoke(started, operation);
        if (task.IsCompletedSuccessfully)
        {
            End(started, failure: null);
            return task;
        }

        return EndWhenDone(this, started, task).Unwrap();
    }

    /// <inheritdoc cref="Run(Func{Task})"/>
    public Task<T> Run<T>(Func<Task<T>> operation)
    {
        long started = Start();
        Task<T> task = Invoke(started, operation);
        if (task.IsCompletedSuccessfully)
        {
            End(started, failure: null);
            return task;
        }

        return EndWhenDone(this, started, task).Unwrap();
    }

    /// <inheritdoc cref="Run(Func{Task})"/>
    public ValueTask Run(Func<ValueTask> operation)
    {
        long started = Start();
        ValueTask task = Invoke(started, operation);
        if (task.IsCompletedSuccessfully)
        {
            End(started, failure: null);
            return task;
        }

        // AsTask consumes a value task backed by a source, once, as the caller would have: from here on only the task exists.
        return new ValueTask(EndWhenDone(this, started, task.AsTask()).Unwrap());
    }

    /// <inheritdoc cref="Run(Func{Task})"/>
    public ValueTask<T> Run<T>(Func<ValueTask<T>> operation)
    {
        long started = Start();
        ValueTask<T> task = Invoke(started, operation);
        if (task.IsCompletedSuccessfully)
        {
            End(started, failure: null);
            return task;
        }

        return new ValueTask<T>(EndWhenDone(this, started, task.AsTask()).Unwrap());
    }

    private long Start()
    {
        InProgress?.Inc();
        return Stopwatch.GetTimestamp();
    }

    /// <summary>Calls the operation; one that throws instead of returning a task is recorded, and its exception rethrown.</summary>
    private TTask Invoke<TTask>(long started, Func<TTask> operation)
    {
        try
        {
            TTask task = operation();
            if (task is null)
            {
                throw CatalogErrors.NullTask();
            }

            return task;
        }
        catch (Exception exception)
        {
            End(started, exception);
            throw;
        }
    }

    /// <summary>
    /// Waits for the task without observing its exceptions, records, and hands on the task whose outcome
    /// <see cref="TaskExtensions.Unwrap(Task{Task})"/> passes to the caller.
    /// </summary>
    private static async Task<Task> EndWhenDone(TrackedCall call, long started, Task task)
    {
        await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        call.End(started, task);
        if (task.IsFaulted)
        {
            var refault = new TaskCompletionSource();
            refault.SetException(task.Exception!.InnerExceptions);
            return refault.Task;
        }

        return task;
    }

    /// <inheritdoc cref="EndWhenDone(TrackedCall, long, Task)"/>
    private static async Task<Task<T>> EndWhenDone<T>(TrackedCall call, long started, Task<T> task)
    {
        // SuppressThrowing is for the non-generic Task only; the result is not read here anyway.
        await ((Task)task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        call.End(started, task);
        if (task.IsFaulted)
        {
            var refault = new TaskCompletionSource<T>();
            refault.SetException(task.Exception!.InnerExceptions);
            return refault.Task;
        }

        return task;
    }

    private void End(long started, Task outcome)
    {
        try
        {
            Record(started, FailureOf(outcome));
        }
#pragma warning disable CA1031 // Whatever fails in the recording must not reach the caller: the call has run.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _registry.ReportInstrumentationFailure(_source, exception);
        }
    }

    private void End(long started, Exception? failure)
    {
        try
        {
            Record(started, failure);
        }
#pragma warning disable CA1031 // Whatever fails in the recording must not reach the caller: the call has run.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _registry.ReportInstrumentationFailure(_source, exception);
        }
    }

    private void Record(long started, Exception? failure)
    {
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        // The series resolved before the call first: updating them cannot fail. The one lookup comes last, so that should
        // it fail, it loses only its own measurement and leaves no request counted as in progress forever.
        (failure is null ? _succeeded : _failed).Inc();
        Duration?.Observe(seconds);
        InProgress?.Dec();
        if (failure is not null)
        {
            Errors?.WithLabels(failure.GetType().Name, ErrorComponent!).Inc();
        }
        else
        {
            LastSuccess?.WithLabels(LastSuccessLabel!).SetToCurrentTime();
        }
    }

    /// <summary>The exception an await of the completed <paramref name="task"/> throws, or null when it succeeded.</summary>
    private static Exception? FailureOf(Task task)
    {
        if (task.IsCompletedSuccessfully)
        {
            return null;
        }

        if (task.IsFaulted)
        {
            // This observes the operation's task: the caller gets a fresh one with the same exceptions (EndWhenDone).
            return task.Exception!.InnerExceptions[0];
        }

        // Cancelled: the operation's own OperationCanceledException when it threw one, else a TaskCanceledException.
        // No public member hands it out without throwing it.
        try
        {
            task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException cancellation)
        {
            return cancellation;
        }

        throw new UnreachableException();
    }
}
