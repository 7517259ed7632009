using Aria.Metrics.Benchmarks.Support;

namespace Aria.Metrics.Benchmarks.Gates;

/// <summary>
/// A series kind's update loop for the scaling gate, compiled once per call site. <typeparamref name="TSite"/> is a
/// struct, so each site is a separate instantiation with its own code and its own profile: the gate's single-thread
/// loop (an unstriped series) and its two-thread loop (a striped one) must not share a method. When they did, tiered
/// compilation laid out one method for both paths from a mixed profile, and the single-thread figure moved between
/// 2.4 and 4.0 ns an update from one recompilation to the next while the padded cells timed beside it held still,
/// which no application's call site sees.
/// </summary>
internal abstract class UpdateLoop
{
    /// <summary>The call site of the single-thread timings.</summary>
    public struct Alone;

    /// <summary>The call site of the two-thread timings.</summary>
    public struct Shared;

    /// <summary>The three series kinds the issue names: a counter, a histogram and an incremented gauge.</summary>
    public static UpdateLoop Counter { get; } = new CounterLoop();

    /// <inheritdoc cref="Counter"/>
    public static UpdateLoop Histogram { get; } = new HistogramLoop();

    /// <inheritdoc cref="Counter"/>
    public static UpdateLoop Gauge { get; } = new GaugeLoop();

    /// <summary>A loop making its argument's count of updates on a fresh series, at call site <typeparamref name="TSite"/>.</summary>
    public abstract Action<int> Create<TSite>()
        where TSite : struct;

    private sealed class CounterLoop : UpdateLoop
    {
        public override Action<int> Create<TSite>()
        {
            Counter counter = new MetricRegistry().CreateCounter("scaling_events_total", "Events.");
            return updates =>
            {
                for (int i = 0; i < updates; i++)
                {
                    counter.Inc();
                }
            };
        }
    }

    private sealed class HistogramLoop : UpdateLoop
    {
        public override Action<int> Create<TSite>()
        {
            Histogram histogram = new MetricRegistry().CreateHistogram("scaling_seconds", "Durations.", Workload.RequestBuckets);
            double[] values = Workload.Observations;
            return updates =>
            {
                for (int i = 0; i < updates; i++)
                {
                    histogram.Observe(values[i & 15]);
                }
            };
        }
    }

    private sealed class GaugeLoop : UpdateLoop
    {
        public override Action<int> Create<TSite>()
        {
            Gauge gauge = new MetricRegistry().CreateGauge("scaling_in_flight", "In flight.");
            return updates =>
            {
                for (int i = 0; i < updates; i++)
                {
                    gauge.Inc();
                }
            };
        }
    }
}
