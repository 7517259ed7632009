using System.Diagnostics;

namespace Aria.Metrics;

/// <summary>
/// The one thread that notices stalled collections and hands their callbacks not yet started to another of the
/// <see cref="CollectionThreads"/>. It is a thread of its own rather than a timer or a waiting scrape's continuation
/// because both of those run on the thread pool, and a pool starved by blocked work runs them late, some hundreds of
/// milliseconds per thread it injects: the callbacks after a hung one then missed the deadline they were handed off to
/// meet. Started with the first collection that has more than one callback; it sleeps while none is in flight.
/// </summary>
internal static class CollectionWatchdog
{
    // Monitor.Wait takes at most about 24 days; a collection without a deadline is looked at hourly.
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    private static readonly List<Collection> Watched = [];

    // Monitor.Wait and Pulse need a plain object to lock.
    private static readonly object Gate = new();
    private static bool s_started;

    /// <summary>Watches <paramref name="collection"/> until it has started every callback or its deadline has passed.</summary>
    public static void Watch(Collection collection)
    {
        lock (Gate)
        {
            Watched.Add(collection);
            if (!s_started)
            {
                s_started = true;
                // Without the execution context of the scrape that happened to start it (see CollectionThreads).
                new Thread(Run) { IsBackground = true, Name = "Aria.Metrics collection watchdog" }.UnsafeStart();
            }

            Monitor.Pulse(Gate);
        }
    }

    private static void Run()
    {
        lock (Gate)
        {
            while (true)
            {
                long now = Stopwatch.GetTimestamp();
                long wakeAt = long.MaxValue;
                for (int i = Watched.Count - 1; i >= 0; i--)
                {
                    long due = Watched[i].HandOffIfStalled(now);
                    if (due == long.MaxValue)
                    {
                        Watched.RemoveAt(i);
                    }
                    else
                    {
                        wakeAt = Math.Min(wakeAt, due);
                    }
                }

                if (wakeAt == long.MaxValue)
                {
                    Monitor.Wait(Gate);
                }
                else
                {
                    TimeSpan wait = Stopwatch.GetElapsedTime(now, Math.Max(wakeAt, now + 1));
                    Monitor.Wait(Gate, wait < LongestWait ? wait : LongestWait);
                }
            }
        }
    }
}
