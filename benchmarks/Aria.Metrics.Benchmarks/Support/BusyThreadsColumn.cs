using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aria.Metrics.Benchmarks.Support;

/// <summary>
/// How many of a contention benchmark's threads were busy on average (process CPU time over wall time). The
/// benchmark process records it when a case ends, in a file that this column, in the host process, reads back; a
/// figure well below the thread count means the machine did not give the threads their own cores.
/// </summary>
internal sealed class BusyThreadsColumn : IColumn
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "aria-metrics-benchmarks", "busy-threads");

    public string Id => "Busy threads";

    public string ColumnName => Id;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 2;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Average number of the benchmark's threads running at once (process CPU time / wall time)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? busy = Read(benchmarkCase.Descriptor.WorkloadMethod.Name, benchmarkCase.Parameters["Threads"] is int threads ? threads : 0);
        return busy is null ? "NA" : busy.Value.ToString("0.00", CultureInfo.InvariantCulture);
    }

    /// <summary>Forgets a case's figure, at the start of the case.</summary>
    public static void Clear(string method, int threads)
    {
        Directory.CreateDirectory(Folder);
        File.Delete(PathOf(method, threads));
    }

    /// <summary>Records a case's figure, at the end of the case.</summary>
    public static void Record(string method, int threads, double busy)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(PathOf(method, threads), busy.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>A case's figure, or null when none was recorded.</summary>
    public static double? Read(string method, int threads)
    {
        string path = PathOf(method, threads);
        return File.Exists(path) && double.TryParse(File.ReadAllText(path), NumberStyles.Float, CultureInfo.InvariantCulture, out double busy)
            ? busy
            : null;
    }

    private static string PathOf(string method, int threads) => Path.Combine(Folder, $"{method}-{threads}.txt");
}
