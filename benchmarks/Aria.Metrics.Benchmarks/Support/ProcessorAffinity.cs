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

    /// <summary>glibc's <c>sched_setaffinity</c>; a process id of 0 is the calling thread.</summary>
    [DllImport("libc", EntryPoint = "sched_setaffinity")]
    private static extern int SchedSetAffinity(int threadId, nint maskBytes, ref ulong mask);
}
