using Aria.Metrics.Cells;

namespace Aria.Metrics.Tests.Cells;

/// <summary>
/// Series after contention has moved them onto stripes: nothing is lost on the way, values read back exactly, and a
/// set on a striped gauge replaces what the stripes held.
/// </summary>
public sealed class StripingTests
{
    private readonly MetricRegistry _registry = new();

    [Fact]
    public void A_contended_counter_moves_onto_stripes_and_keeps_every_increment()
    {
        CounterSeries series = _registry.CreateCounter("events_total", "Events.").WithLabels();
        long made = UntilStriped(() => series.IsStriped, () => series.Inc());
        Assert.True(series.IsStriped);
        Assert.Equal(made, series.Read().Whole);

        series.Inc(0.5);
        series.Inc(3L);
        Assert.Equal(made + 3.5, series.Value);
    }

    [Fact]
    public void A_counter_that_threads_take_turns_on_stays_unstriped_and_keeps_every_increment()
    {
        // Turns, not contention: each thread's samples find the other's mark, look for a concurrent writer, and see none.
        CounterSeries series = _registry.CreateCounter("turns_total", "Turns.").WithLabels();
        const int PerTurn = 3 * (int)Striping.SampleUnits;
        for (int turn = 0; turn < 8; turn++)
        {
            var thread = new Thread(() =>
            {
                for (int i = 0; i < PerTurn; i++)
                {
                    series.Inc();
                }
            });
            thread.Start();
            thread.Join();
        }

        Assert.False(series.IsStriped);
        Assert.Equal(8L * PerTurn, series.Read().Whole);
    }

    [Fact]
    public void A_contended_histogram_moves_onto_stripes_and_keeps_every_observation()
    {
        HistogramSeries series = _registry.CreateHistogram("wait_seconds", "Wait.", [1, 2]).WithLabels();
        long made = UntilStriped(() => series.IsStriped, () => series.Observe(1.5));
        Assert.Equal(made, series.Count);
        Assert.Equal(made, series.ReadBucket(1));
        Assert.Equal(1.5 * made, series.Sum);
    }

    [Fact]
    public void A_striped_gauge_counts_every_increment_and_reads_a_set_value_back_exactly()
    {
        GaugeSeries series = _registry.CreateGauge("in_flight", "In flight.").WithLabels();
        series.Set(0.25);
        long made = UntilStriped(() => series.IsStriped, () => series.Inc());
        Assert.Equal(0.25 + made, series.Value);

        series.Set(0.3);
        Assert.Equal(0.3, series.Value);
        series.Inc();
        series.Dec(2);
        series.Inc(0.5);
        Assert.Equal(0.3 + 1 - 2 + 0.5, series.Value, 12);
        series.Set(double.NaN);
        Assert.True(double.IsNaN(series.Value));
        series.Set(-7);
        Assert.Equal(-7, series.Value);
    }

    [Fact]
    public void Increments_made_after_the_last_set_of_a_striped_gauge_all_count()
    {
        GaugeSeries series = _registry.CreateGauge("queue_depth", "Queue depth.").WithLabels();
        UntilStriped(() => series.IsStriped, () => series.Inc());

        // Sets race with increments; once the setter is done, only the increments after its last set may count.
        const int PerThread = 200_000;
        using var setterDone = new ManualResetEventSlim();
        long[] afterLastSet = new long[2];
        RunTogether(
            () =>
            {
                for (int i = 0; i < 1000; i++)
                {
                    series.Set(i);
                }

                series.Set(1e6);
                setterDone.Set();
            },
            () => IncrementCounting(0),
            () => IncrementCounting(1));

        void IncrementCounting(int thread)
        {
            for (int i = 0; i < PerThread; i++)
            {
                bool after = setterDone.IsSet;
                series.Inc();
                if (after)
                {
                    afterLastSet[thread]++;
                }
            }
        }

        // Increments that started before the setter was seen done may land on either side of its last set.
        double value = series.Value;
        Assert.InRange(value, 1e6 + afterLastSet.Sum(), 1e6 + (2 * PerThread));
        Assert.Equal(Math.Floor(value), value);
    }

    /// <summary>Two threads update together until the series has striped; returns how many updates they made.</summary>
    private static long UntilStriped(Func<bool> striped, Action update)
    {
        long made = 0;
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!striped())
        {
            Assert.True(DateTime.UtcNow < deadline, "two threads updating one series for 30 s never made it stripe");
            const int PerRound = 200_000;
            void Updates()
            {
                for (int i = 0; i < PerRound; i++)
                {
                    update();
                }
            }

            RunTogether(Updates, Updates);
            made += 2 * PerRound;
        }

        return made;
    }

    /// <summary>Runs every action on a thread of its own, all released at once, and waits for them.</summary>
    private static void RunTogether(params Action[] actions)
    {
        using var start = new Barrier(actions.Length);
        Thread[] threads = [.. actions.Select(action => new Thread(() =>
        {
            start.SignalAndWait();
            action();
        }))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }
    }
}
