namespace Aria.Metrics.Benchmarks.Support;

/// <summary>Puts a series into the state that contention leaves it in, so that its single-thread cost can be measured there.</summary>
internal static class Contention
{
    /// <summary>Two threads increment the counter's unlabeled series until it has moved onto stripes.</summary>
    public static void Stripe(Counter counter)
    {
        CounterSeries series = counter.WithLabels();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!series.IsStriped)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("Two threads incrementing one counter for 30 s never made it stripe.");
            }

            Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, _ =>
            {
                for (int i = 0; i < 1_000_000; i++)
                {
                    series.Inc();
                }
            });
        }
    }
}
