using System.Runtime.InteropServices;

namespace Aria.Metrics.Benchmarks.Support;

/// <summary>
/// Binds the calling thread to one processor, on Linux. A thread that has just started runs wherever the scheduler
/// woke it: measured on the 2-vCPU VM, the two threads of a scaling round shared one core for up to 10 ms about one
/// round in five (a third of a 60 ms round) before the load balancer moved one of them, whatever they were updating.
/// Bound threads measure the cells, not that placement.
/// </summary>
internal static class ProcessorAffinity
{
    /// <summary>
    /// Binds the calling thread to processor <paramref name="index"/> (modulo the processors there are, at most 64);
    /// false where that is not possible (not Linux, or refused), and the thread then runs where the scheduler puts it.
    /// </summary>
    public static bool TryBind(int index)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        ulong mask = 1UL << (index % Math.Min(Environment.ProcessorCount, 64));
        return SchedSetAffinity(0, sizeof(ulong), ref mask) == 0;
    }

    /// <summary>
    /// The environment variable through which the perf gates name the processor a benchmark's own thread should run
    /// on (see <see cref="BindFromEnvironment"/>).
    /// </summary>
    public const string BenchmarkProcessorVariable = "ARIA_METRICS_BENCHMARK_PROCESSOR";

    /// <summary>
    /// Binds the calling thread (a benchmark's, from its global setup) to the processor that
    /// <see cref="BenchmarkProcessorVariable"/> names, when it names one. Only that thread: a whole benchmark process
    /// bound to one processor ran <c>Counter.Inc</c> at 23 ns instead of 2.4, its tiered compilation sharing the
    /// processor with a benchmark thread of the highest priority.
    /// </summary>
    public static void BindFromEnvironment()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable(BenchmarkProcessorVariable), out int processor))
        {
            TryBind(processor);
        }
    }

    /// <summary>Lets the calling thread run on every processor again (the first 64); false where that is not possible.</summary>
    public static bool TryUnbind()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        ulong mask = Environment.ProcessorCount >= 64 ? ulong.MaxValue : (1UL << Environment.ProcessorCount) - 1;
        return SchedSetAffinity(0, sizeof(ulong), ref mask) == 0;
    }

    /// <summary>glibc's <c>sched_setaffinity</c>; a process id of 0 is the calling thread.</summary>
    [DllImport("libc", EntryPoint = "sched_setaffinity")]
    private static extern int SchedSetAffinity(int threadId, nint maskBytes, ref ulong mask);
}
