using System.Diagnostics;

namespace Aria.Metrics;

/// <summary>
/// A registered collect callback and whether it is running. It never runs twice at once: a thread that runs it holds
/// its gate, so a collection that meets it still running (hung since an earlier scrape) leaves it out instead of
/// giving it a second thread, and a hung callback holds one thread however many scrapes arrive.
/// </summary>
internal sealed class CollectCallback(Action action)
{
    private readonly Lock _gate = new();

    // When the current run started (a Stopwatch timestamp), 0 while the callback is not running.
    private long _startedAt;

    public Action Action => action;

    /// <summary>How long the current run has lasted at <paramref name="now"/>; zero when it is not running.</summary>
    public TimeSpan RunningFor(long now)
    {
        long started = Volatile.Read(ref _startedAt);
        return started == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(started, now);
    }

    /// <summary>Runs the callback on this thread, first waiting for a run in progress on another thread to end.</summary>
    public void Run(MetricRegistry registry)
    {
        lock (_gate)
        {
            Invoke(registry);
        }
    }

    /// <summary>Runs the callback on this thread unless it is running on another one; false when it was left out.</summary>
    public bool TryRun(MetricRegistry registry)
    {
        if (!_gate.TryEnter())
        {
            return false;
        }

        try
        {
            Invoke(registry);
        }
        finally
        {
            _gate.Exit();
        }

        return true;
    }

    private void Invoke(MetricRegistry registry)
    {
        Volatile.Write(ref _startedAt, Stopwatch.GetTimestamp());
        try
        {
            action();
        }
#pragma warning disable CA1031 // A failing callback must not take the rest of the scrape down with it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            registry.OnCollectCallbackFailed(exception);
        }
        finally
        {
            Volatile.Write(ref _startedAt, 0);
        }
    }
}
