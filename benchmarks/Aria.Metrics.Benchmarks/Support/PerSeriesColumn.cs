using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aria.Metrics.Benchmarks.Support;

/// <summary>
/// A benchmark's median time or allocated bytes divided by the number of series it creates: whether creation is
/// amortised linear shows as a flat figure across series counts.
/// </summary>
internal sealed class PerSeriesColumn(PerSeriesColumn.Figure figure, int? fixedSeries = null) : IColumn
{
    public enum Figure
    {
        /// <summary>Median nanoseconds per series.</summary>
        Time,

        /// <summary>Allocated bytes per series (MemoryDiagnoser's Allocated column divided by the series count).</summary>
        Allocated,
    }

    public string Id => figure == Figure.Time ? "ns/series" : "Alloc B/series";

    public string ColumnName => Id;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => (int)figure;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => figure == Figure.Time
        ? "Median time of the benchmark divided by the series it creates"
        : "Allocated bytes of the benchmark (transient garbage included) divided by the series it creates";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        BenchmarkReport? report = summary[benchmarkCase];
        int series = fixedSeries ?? (benchmarkCase.Parameters["Series"] is int count ? count : 0);
        if (report is null || series == 0)
        {
            return "NA";
        }

        double? value = figure == Figure.Time
            ? report.ResultStatistics?.Median
            : report.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);
        return value is null ? "NA" : (value.Value / series).ToString("0.0", CultureInfo.InvariantCulture);
    }
}
