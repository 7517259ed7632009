using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aria.Metrics.Benchmarks.Support;

/// <summary>
/// The bytes a benchmark's result keeps alive, per series: the heap after a full collection with the result held,
/// minus the heap before it was built, divided by the series count. Unlike the Allocated column this leaves out the
/// garbage made while building, so it is the memory a process pays for holding that many series.
/// <para>
/// The figure is measured when the summary is printed, in the host process, by running the benchmark method itself
/// (after its global setup, so inputs made there are excluded): three times, keeping the smallest delta so that
/// one-time static initialisation is not counted. A result that is disposable (a peer's provider) is disposed after
/// its measurement.
/// </para>
/// </summary>
internal sealed class RetainedPerSeriesColumn(int series) : IColumn
{
    private static readonly ConcurrentDictionary<string, long> Measured = new();

    public string Id => "Retained B/series";

    public string ColumnName => Id;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 10;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Heap kept alive by the result (GC.GetTotalMemory(true) delta, min of 3 runs) per series; label strings excluded";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        long bytes = Measured.GetOrAdd(benchmarkCase.Descriptor.WorkloadMethod.Name, _ => Measure(benchmarkCase));
        return ((double)bytes / series).ToString("0.0", CultureInfo.InvariantCulture);
    }

    /// <summary>Runs the benchmark method three times and returns the smallest number of bytes its result retained.</summary>
    public static long Measure(BenchmarkCase benchmarkCase)
    {
        object instance = Activator.CreateInstance(benchmarkCase.Descriptor.Type)!;
        benchmarkCase.Descriptor.GlobalSetupMethod?.Invoke(instance, null);
        long smallest = long.MaxValue;
        for (int run = 0; run < 3; run++)
        {
            smallest = Math.Min(smallest, MeasureOnce(benchmarkCase.Descriptor.WorkloadMethod, instance));

            // The benchmark's own cleanup lets go of what it kept of this run (the OpenTelemetry peer keeps its last
            // provider in a field): held into the next run, it would be freed inside that run's measurement and
            // cancel it out, which showed as 0.0 B.
            benchmarkCase.Descriptor.IterationCleanupMethod?.Invoke(instance, null);
        }

        return smallest;
    }

    // A frame of its own, so that no stack slot of the caller keeps the previous run's result alive into the next
    // run's "before" figure.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long MeasureOnce(MethodInfo method, object instance)
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        object? result = method.Invoke(instance, null);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(result);
        (result as IDisposable)?.Dispose();
        return after - before;
    }
}
