using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Aria.Metrics.Benchmarks.Support;

/// <summary>
/// Whether the host lets this VM's processors run at their usual speed, read from a short probe loop on each of them.
/// <para>
/// On the 2-vCPU VM the host sometimes slows one processor's vector unit for a fraction of a second to minutes, most
/// likely a neighbour on the same physical core: a loop of vector compares (the histogram's bucket search) then runs
/// 2 to 2.5 times slower, <c>Histogram.Observe</c> about 1.7 times slower (10 ns instead of 6), its two raw atomic
/// operations only 5 % slower and an integer loop not measurably. Measured in 12 processes, the stretches came and
/// went within one process and moved between processors, whatever the addresses of the cells. A ratio between a
/// vector-heavy path and a plain one then measures the neighbour, not the code, and no interleaving fixes that: the
/// ratio itself changes. The probe is the vector loop that shows it.
/// </para>
/// </summary>
internal static class HostProbe
{
    private const int Iterations = 100_000;

    private const int WarmMilliseconds = 5;

    private static readonly double[] Bounds = [.. Workload.RequestBuckets, double.PositiveInfinity, double.PositiveInfinity];

    private static readonly double[] Best = [.. Enumerable.Repeat(double.MaxValue, Math.Min(Environment.ProcessorCount, 64))];

    private static readonly Lock Gate = new();

    /// <summary>The processors a probe can be bound to (the first 64).</summary>
    public static int Processors => Best.Length;

    /// <summary>
    /// Times the probe on processor <paramref name="processor"/>, binding the calling thread to it (and leaving it
    /// bound): nanoseconds per iteration, or null where threads cannot be bound.
    /// </summary>
    public static double? MeasureOn(int processor)
    {
        if (!ProcessorAffinity.TryBind(processor))
        {
            return null;
        }

        lock (Gate)
        {
            double time = Time();
            Best[processor] = Math.Min(Best[processor], time);
            return time;
        }
    }

    /// <summary>
    /// How much slower than its best in this process <paramref name="processor"/> ran the probe in
    /// <paramref name="time"/> (from <see cref="MeasureOn"/>): 1 on a quiet host, 2 and more while a neighbour holds
    /// the core's vector unit.
    /// </summary>
    public static double Slowdown(int processor, double time)
    {
        lock (Gate)
        {
            return Math.Max(1, time / Best[processor]);
        }
    }

    /// <summary>
    /// The best of three timings of the probe, in nanoseconds per iteration, after a few milliseconds of it untimed: a
    /// processor that was idle runs it slowly at first.
    /// </summary>
    private static double Time()
    {
        long warm = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(warm).TotalMilliseconds < WarmMilliseconds)
        {
            Probe(Bounds, Workload.Observations, Iterations / 10);
        }

        double best = double.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long start = Stopwatch.GetTimestamp();
            Probe(Bounds, Workload.Observations, Iterations);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds / Iterations);
        }

        return best;
    }

    /// <summary>The histogram's vector bucket search, without the atomics; compiled fully optimised from its first call.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int Probe(double[] bounds, double[] values, int iterations)
    {
        int below = 0;
        for (int i = 0; i < iterations; i++)
        {
            Vector256<double> value = Vector256.Create(values[i & 15]);
            for (int j = 0; j + 4 <= bounds.Length; j += 4)
            {
                below += BitOperations.PopCount(Vector256.GreaterThan(value, Vector256.Create(bounds.AsSpan(j, 4))).ExtractMostSignificantBits());
            }
        }

        return below;
    }
}
