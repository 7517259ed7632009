namespace Aria.Metrics;

/// <summary>
/// A collect callback that a scrape was served without, because it had not returned by the scrape's deadline:
/// what <see cref="MetricRegistry.CollectCallbackTimedOut"/> reports.
/// </summary>
public sealed class CollectCallbackTimeout
{
    internal CollectCallbackTimeout(Action callback, TimeSpan runningFor)
    {
        Callback = callback;
        RunningFor = runningFor;
    }

    /// <summary>The callback, as it was registered; its <see cref="Delegate.Method"/> says where it is declared.</summary>
    public Action Callback { get; }

    /// <summary>
    /// How long the callback had been running when the scrape went on without it; zero when it had not started
    /// (it was queued behind callbacks that were slow themselves).
    /// </summary>
    public TimeSpan RunningFor { get; }

    /// <summary>The callback's declaring type and method, for logs.</summary>
    public override string ToString() => $"{Callback.Method.DeclaringType?.FullName}.{Callback.Method.Name}";
}
