using System.Diagnostics;

namespace Aria.Metrics.Catalog;

/// <summary>
/// One tracked call and what to record when it ends, shared by every helper that wraps a call (requests, LLM calls,
/// agent tasks, skills, scheduler runs, database queries): each layer says which families it records in, and this
/// resolves their series, runs the call and records it.
/// </summary>
/// <remarks>
/// <para>
/// The rule: bad input is refused before the call runs (the series every outcome records, and a success's, are resolved
/// then, and the registry refuses a bad label then), and nothing after the call can throw into the caller. The recording
/// after the call is guarded: should it fail, the failure goes to <see cref="MetricRegistry.ReportInstrumentationFailure"/>
/// and the caller gets the call's outcome all the same.
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
    private readonly string _label;
    private readonly CounterSeries _succeeded;
    private readonly Counter _outcomes;
    private readonly string? _failureStatus;
    private readonly HistogramSeries? _duration;
    private readonly GaugeSeries? _inProgress;
    private readonly Counter? _errors;
    private readonly string? _errorComponent;
    private readonly Gauge? _lastSuccess;

    /// <summary>
    /// A call identified by one label value, the first label of every family it records in. The series it records
    /// whatever the outcome, and that of a success, are resolved here, before the call: a label the registry refuses
    /// throws now. Those of a failure are looked up after one; their labels are this label, checked here, and constants
    /// or an exception's type name, so failures are not made to pay a lookup on every successful call.
    /// </summary>
    /// <param name="registry">Where a failure of the recording is reported.</param>
    /// <param name="source">The helper's name, as the report gives it.</param>
    /// <param name="label">The call's label value: the method, model, agent, skill, job or kind of query.</param>
    /// <param name="outcomes">Counts the call: <c>{label, status}</c> with <paramref name="statuses"/>, else <c>{label}</c> whatever its outcome.</param>
    /// <param name="statuses">The <c>status</c> values of a success and of a failure, where the outcome is a label.</param>
    /// <param name="duration">Observes the call's duration in seconds, on the monotonic clock, whatever its outcome.</param>
    /// <param name="inProgress">Up by one while the call runs.</param>
    /// <param name="errors">On failure, counts <c>{error_type=&lt;exception type name&gt;, component=<paramref name="errorComponent"/>}</c>.</param>
    /// <param name="errorComponent">The <c>component</c> label of <paramref name="errors"/>.</param>
    /// <param name="lastSuccess">
    /// On success, set to the current time. Looked up after the call: created before, it would claim a success at time 0
    /// for a label that never had one.
    /// </param>
    public TrackedCall(
        MetricRegistry registry,
        string source,
        string label,
        Counter outcomes,
        (string Success, string Failure)? statuses = null,
        Histogram? duration = null,
        Gauge? inProgress = null,
        Counter? errors = null,
        string? errorComponent = null,
        Gauge? lastSuccess = null)
    {
        _registry = registry;
        _source = source;
        _label = label;
        _outcomes = outcomes;
        _failureStatus = statuses?.Failure;
        _succeeded = statuses is { } named ? outcomes.WithLabels(label, named.Success) : outcomes.WithLabels(label);
        _duration = duration?.WithLabels(label);
        _inProgress = inProgress?.WithLabels(label);
        _errors = errors;
        _errorComponent = errorComponent;
        _lastSuccess = lastSuccess;
    }

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
        _inProgress?.Inc();
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
        // In progress goes down last, when the call is counted, and even should a lookup below fail.
        try
        {
            _duration?.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            if (failure is null)
            {
                _succeeded.Inc();
                _lastSuccess?.WithLabels(_label).SetToCurrentTime();
            }
            else
            {
                (_failureStatus is null ? _succeeded : _outcomes.WithLabels(_label, _failureStatus)).Inc();
                _errors?.WithLabels(failure.GetType().Name, _errorComponent!).Inc();
            }
        }
        finally
        {
            _inProgress?.Dec();
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
