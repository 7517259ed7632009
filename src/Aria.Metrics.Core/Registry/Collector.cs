using System.Diagnostics;

namespace Aria.Metrics;

/// <summary>
/// Runs a registry's collect callbacks for scrapes under a deadline, one <see cref="Collection"/> in flight at a time:
/// a scrape that arrives while one runs waits for it instead of running the callbacks again, so twenty parallel
/// scrapes cost one collection. A scrape whose deadline outlives the collection's starts a fresh one, which leaves
/// out the callbacks still hung in the old one and runs the rest.
/// </summary>
internal sealed class Collector(MetricRegistry registry)
{
    private Collection? _current;

    /// <summary>How many scrapes are waiting for the collection in flight.</summary>
    public int Waiting => Volatile.Read(ref _current)?.Waiting ?? 0;

    /// <summary>Collects for one scrape; true when every callback returned in time.</summary>
    public async ValueTask<bool> CollectAsync(CollectCallback[] callbacks, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        double ticks = timeout == Timeout.InfiniteTimeSpan ? double.PositiveInfinity : timeout.TotalSeconds * Stopwatch.Frequency;
        long deadline = ticks >= long.MaxValue - start ? long.MaxValue : start + (long)ticks;
        while (true)
        {
            Collection collection = JoinOrStart(callbacks, deadline);
            Collection.Outcome outcome = await collection.WaitAsync(deadline, cancellationToken).ConfigureAwait(false);
            if (outcome != Collection.Outcome.Expired)
            {
                return outcome == Collection.Outcome.Complete;
            }
        }
    }

    private Collection JoinOrStart(CollectCallback[] callbacks, long deadline)
    {
        while (true)
        {
            long now = Stopwatch.GetTimestamp();
            Collection? current = Volatile.Read(ref _current);
            if (current is not null && current.IsOpen(now))
            {
                return current;
            }

            var fresh = new Collection(registry, callbacks, now, deadline);
            if (Interlocked.CompareExchange(ref _current, fresh, current) == current)
            {
                fresh.Start();
                return fresh;
            }
        }
    }
}
