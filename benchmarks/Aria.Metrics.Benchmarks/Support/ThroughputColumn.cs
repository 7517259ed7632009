using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aria.Metrics.Benchmarks.Support;

/// <summary>
/// Millions of operations per second, from the median time per operation of a benchmark whose every thread makes the
/// same fixed number of operations: per thread it is the inverse of that time, in total that times the
/// <c>Threads</c> parameter.
/// </summary>
internal sealed class ThroughputColumn(bool perThread) : IColumn
{
    public string Id => perThread ? "Mops/s/thread" : "Mops/s total";

    public string ColumnName => Id;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => perThread ? 0 : 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => perThread
        ? "Million operations per second on each thread (1000 / median ns per operation)"
        : "Million operations per second on all threads together (per-thread figure x Threads)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? mops = Compute(summary[benchmarkCase], perThread);
        return mops is null ? "NA" : mops.Value.ToString("0.0", CultureInfo.InvariantCulture);
    }

    /// <summary>The throughput of a finished contention benchmark, or null when it has no result.</summary>
    public static double? Compute(BenchmarkReport? report, bool perThread)
    {
        if (report?.ResultStatistics is not { } statistics || statistics.Median <= 0)
        {
            return null;
        }

        double perThreadMops = 1000 / statistics.Median;
        int threads = report.BenchmarkCase.Parameters["Threads"] is int count ? count : 1;
        return perThread ? perThreadMops : perThreadMops * threads;
    }
}
