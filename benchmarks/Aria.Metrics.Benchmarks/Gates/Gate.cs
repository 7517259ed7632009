using System.Globalization;
using Aria.Metrics.Benchmarks.Support;
using BenchmarkDotNet.Reports;

namespace Aria.Metrics.Benchmarks.Gates;

/// <summary>What a gate concluded from one measurement.</summary>
/// <param name="Figure">The measured figure, with its unit.</param>
/// <param name="Limit">The limit, with its comparison.</param>
/// <param name="Passed">Whether the figure is within the limit.</param>
/// <param name="Detail">The benchmark(s) and medians behind the figure.</param>
/// <param name="Void">The machine was too busy for the figure to mean anything: neither a pass nor a failure.</param>
internal sealed record GateOutcome(string Figure, string Limit, bool Passed, string Detail, bool Void = false)
{
    public string Verdict => Void ? "VOID" : Passed ? "PASS" : "FAIL";
}

/// <summary>
/// One perf gate: a limit on a figure read from the benchmark cases it names. Ratios take both cases from the same
/// run and compare medians.
/// </summary>
internal abstract class Gate(string name)
{
    public string Name { get; } = name;

    /// <summary>The benchmark cases the gate reads.</summary>
    public abstract IReadOnlyList<BenchmarkKey> Needs { get; }

    /// <summary>Reads the figure from <paramref name="find"/>'s reports and checks it against the limit.</summary>
    public abstract GateOutcome Evaluate(Func<BenchmarkKey, BenchmarkReport?> find);

    protected static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The median in nanoseconds per operation, or null when the case did not run or failed.</summary>
    protected static double? Median(BenchmarkReport? report) =>
        report?.ResultStatistics is { } statistics && statistics.N > 0 ? statistics.Median : null;

    protected static GateOutcome Missing(BenchmarkKey key, string limit) =>
        new("no result", limit, false, $"benchmark {key} produced no measurement (see the BenchmarkDotNet log)");
}

/// <summary>
/// Exactly zero bytes allocated per operation. Two figures are read: MemoryDiagnoser's bytes per operation from the
/// summary, and an exact count of what the benchmark thread allocates over <see cref="ExactAllocation.Invocations"/>
/// further invocations. The exact count decides: it sees what MemoryDiagnoser's rounding hides, and leaves out the
/// background threads that its process-wide counter includes; both are printed, and a disagreement is explained.
/// </summary>
internal sealed class ZeroAllocationGate(string name, BenchmarkKey benchmark) : Gate(name)
{
    private const string Limit = "= 0 B/op";

    public override IReadOnlyList<BenchmarkKey> Needs => [benchmark];

    public override GateOutcome Evaluate(Func<BenchmarkKey, BenchmarkReport?> find)
    {
        BenchmarkReport? report = find(benchmark);
        long? reported = report?.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
        if (report is null || reported is null || Median(report) is null)
        {
            return Missing(benchmark, Limit);
        }

        long exact = ExactAllocation.Measure(report.BenchmarkCase);
        int operations = ExactAllocation.Invocations * report.BenchmarkCase.Descriptor.OperationsPerInvoke;
        string detail =
            $"benchmark {benchmark}, figure Allocated per operation: MemoryDiagnoser {reported} B/op, " +
            $"benchmark thread {exact} B over {operations} operations";
        if (reported != 0 && exact == 0)
        {
            detail += " (MemoryDiagnoser counts every thread of the process: the bytes it saw were allocated by other threads)";
        }

        string figure = exact == 0 ? "0 B/op" : $"{Format((double)exact / operations, "0.###")} B/op";
        return new(figure, Limit, exact == 0, detail);
    }
}

/// <summary>
/// A ratio of two medians from the same run. For time, ours over the reference must not exceed the limit. For
/// throughput (benchmarks that time a fixed number of operations per thread on equal thread counts), the reference's
/// median over ours is our throughput over the reference's, and must reach the limit. A throughput gate also reports
/// how many threads were busy on each side, and says so when the machine did not let them run at once.
/// </summary>
internal sealed class RatioGate(string name, BenchmarkKey ours, BenchmarkKey reference, double limit, bool throughput, int threads = 0)
    : Gate(name)
{
    public override IReadOnlyList<BenchmarkKey> Needs => [ours, reference];

    public override GateOutcome Evaluate(Func<BenchmarkKey, BenchmarkReport?> find)
    {
        string limitText = throughput ? $">= {Format(limit, "0.00")}x" : $"<= {Format(limit, "0.00")}x";
        double? ourMedian = Median(find(ours));
        double? referenceMedian = Median(find(reference));
        if (ourMedian is null)
        {
            return Missing(ours, limitText);
        }

        if (referenceMedian is null)
        {
            return Missing(reference, limitText);
        }

        double ratio = throughput ? referenceMedian.Value / ourMedian.Value : ourMedian.Value / referenceMedian.Value;
        bool passed = throughput ? ratio >= limit : ratio <= limit;
        string figure = throughput ? "total throughput ratio" : "median time ratio";
        string detail =
            $"benchmark {ours} (median {Format(ourMedian.Value, "0.###")} ns/op) vs {reference} " +
            $"(median {Format(referenceMedian.Value, "0.###")} ns/op), figure {figure}";
        if (threads > 0)
        {
            double? ourBusy = BusyThreadsColumn.Read(ours.Method, threads);
            double? referenceBusy = BusyThreadsColumn.Read(reference.Method, threads);
            detail += $"; busy threads {Format(ourBusy ?? double.NaN, "0.00")} and {Format(referenceBusy ?? double.NaN, "0.00")} of {threads}";
            if (!passed && Math.Min(ourBusy ?? 0, referenceBusy ?? 0) < 0.9 * threads)
            {
                detail += " (the threads did not run at once: other work held the cores, so this figure measures the " +
                          "scheduler more than the engine; re-run on an idle machine before blaming the code)";
            }
        }

        return new($"{Format(ratio, "0.000")}x", limitText, passed, detail);
    }
}
