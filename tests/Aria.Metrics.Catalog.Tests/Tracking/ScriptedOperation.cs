using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Aria.Metrics.Catalog.Tests.Tracking;

/// <summary>
/// An operation that ends as its <see cref="TrackedCase"/> says, in the shape it asks for, and remembers what it
/// produced: its result object and every exception object it threw or faulted with, each thrown from
/// <see cref="ThrowSite"/> so that its stack trace names that frame.
/// </summary>
internal sealed class ScriptedOperation
{
    private readonly TrackedCase _case;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Exception> _produced = [];

    public ScriptedOperation(TrackedCase trackedCase)
    {
        _case = trackedCase;
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Token = cancelled.Token;
    }

    /// <summary>The result object of the shapes that have one.</summary>
    public object Result { get; } = new();

    /// <summary>The token the cancellations carry.</summary>
    public CancellationToken Token { get; }

    /// <summary>Whether the operation was called.</summary>
    public bool Ran { get; private set; }

    /// <summary>The exceptions it produced, in order: the first is the one an await throws.</summary>
    public IReadOnlyList<Exception> Produced => _produced;

    /// <summary>Settles an asynchronous outcome; the operation's continuations run on the thread pool.</summary>
    public void Release() => _release.TrySetResult();

    public Task AsTask() => _case.Backing == Backing.Inline ? Begin(Task.CompletedTask) : Produce();

    public Task<object> AsTaskOfT() => _case.Backing == Backing.Inline ? Begin(Task.FromResult(Result)) : Produce();

    public ValueTask AsValueTask() => _case.Backing switch
    {
        Backing.Inline => Begin(default(ValueTask)),
        Backing.Source => new ValueTask(Begin(new Source(this)), 0),
        _ => new ValueTask(Produce()),
    };

    public ValueTask<object> AsValueTaskOfT() => _case.Backing switch
    {
        Backing.Inline => Begin(new ValueTask<object>(Result)),
        Backing.Source => new ValueTask<object>(Begin(new Source(this)), 0),
        _ => new ValueTask<object>(Produce()),
    };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Exception ThrowSite(Exception exception)
    {
        _produced.Add(exception);
        throw exception;
    }

    /// <summary>An exception of the case, thrown and caught, so that it carries a stack trace as a real failure does.</summary>
    private Exception Thrown(int index)
    {
        try
        {
            return ThrowSite(NewException(index));
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    private Exception NewException(int index) => _case.Outcome is Outcome.CancelledByException
        ? TrackedCase.CancellationPool[_case.ExceptionKinds[index]](Token)
        : TrackedCase.ExceptionPool[_case.ExceptionKinds[index]]($"failure {index} of {_case.Helper}");

    private T Begin<T>(T task)
    {
        Ran = true;
        if (_case.Timing == Timing.BeforeTask)
        {
            ThrowSite(NewException(0));
        }

        return task;
    }

    private Task<object> Produce()
    {
        Begin(0);
        Task gate = _case.Timing == Timing.Synchronous ? Task.CompletedTask : _release.Task;
        return _case.Outcome switch
        {
            Outcome.Value => SucceedAsync(gate),
            Outcome.OneException or Outcome.CancelledByException => FailAsync(gate),
            Outcome.SeveralExceptions => Settle(gate, completion => completion.SetException(_case.ExceptionKinds.Select((_, i) => Thrown(i)).ToArray())),
            _ => Settle(gate, completion => completion.SetCanceled(Token)),
        };
    }

    private async Task<object> SucceedAsync(Task gate)
    {
        await gate.ConfigureAwait(false);
        return Result;
    }

    private async Task<object> FailAsync(Task gate)
    {
        await gate.ConfigureAwait(false);
        throw ThrowSite(NewException(0));
    }

    /// <summary>A task settled by <paramref name="settle"/> once the gate opens, synchronously if it is open already.</summary>
    private static Task<object> Settle(Task gate, Action<TaskCompletionSource<object>> settle)
    {
        var completion = new TaskCompletionSource<object>();
        gate.ContinueWith(_ => settle(completion), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return completion.Task;
    }

    /// <summary>A value-task source that hands out one outcome, once, as pooled sources of real I/O do.</summary>
    private sealed class Source : IValueTaskSource<object>, IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<object> _core;
        private int _consumed;

        public Source(ScriptedOperation operation)
        {
            if (operation._case.Timing == Timing.Synchronous)
            {
                Settle(operation);
            }
            else
            {
                operation._release.Task.ContinueWith(
                    _ => Settle(operation), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);

        public object GetResult(short token)
        {
            // A second read is the misuse a pooled source would punish with someone else's result.
            Assert.Equal(0, Interlocked.Exchange(ref _consumed, 1));
            return _core.GetResult(token);
        }

        void IValueTaskSource.GetResult(short token) => GetResult(token);

        private void Settle(ScriptedOperation operation)
        {
            if (operation._case.Outcome == Outcome.Value)
            {
                _core.SetResult(operation.Result);
            }
            else
            {
                _core.SetException(operation.Thrown(0));
            }
        }
    }
}
