namespace Aria.Metrics.TestSupport;

/// <summary>
/// Bytes a piece of work allocates on the calling thread once it is warm. The work runs twice unmeasured, then is
/// measured up to three times; the answer is the least of those measurements, so a one-time allocation of the runtime's
/// (a method promoted by tiered compilation in the middle of a measured run, which happened about once in 40 runs)
/// does not fail a test, while a path that allocates on every call shows in every measurement and does.
/// </summary>
public static class SteadyStateAllocation
{
    private const int Measurements = 3;

    /// <summary>The bytes <paramref name="work"/> allocated in its cheapest warm run (0 as soon as one run allocated nothing).</summary>
    public static long Of(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        work();
        work();
        long least = long.MaxValue;
        for (int i = 0; i < Measurements && least != 0; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            work();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
