using System.Globalization;
using Aria.Metrics.Benchmarks.Support;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

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
/// One perf gate: a limit on a figure read from the benchmark cases it names. Every case is measured in several
/// rounds (see <see cref="GateRunner.Rounds"/>); a ratio takes both of its cases from the same round, where they ran
/// one right after the other, and the gate's figure is the median of the rounds' ratios.
/// </summary>
internal abstract class Gate(string name)
{
    public string Name { get; } = name;

    /// <summary>The benchmark cases the gate reads.</summary>
    public abstract IReadOnlyList<BenchmarkKey> Needs { get; }

    /// <summary>Whether the gate reads every round of its cases, or only the first.</summary>
    public virtual bool ReadsEveryRound => true;

    /// <summary>
    /// Reads the figure from <paramref name="find"/>'s reports (one per round that gave a measurement, in round order)
    /// and checks it against the limit; <paramref name="hostSlowdown"/> says how busy the host was around a case
    /// (see <see cref="HostProbeProcessor"/>).
    /// </summary>
    public abstract GateOutcome Evaluate(Func<BenchmarkKey, IReadOnlyList<BenchmarkReport>> find, Func<BenchmarkCase, double?> hostSlowdown);

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

    /// <summary>An allocation count is exact: one round tells it.</summary>
    public override bool ReadsEveryRound => false;

    public override GateOutcome Evaluate(Func<BenchmarkKey, IReadOnlyList<BenchmarkReport>> find, Func<BenchmarkCase, double?> hostSlowdown)
    {
        BenchmarkReport? report = find(benchmark) is [var first, ..] ? first : null;
        long? reported = report?.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
        if (report is null || reported is null || Median(report) is null)
        {
            return Missing(benchmark, Limit);
        }

        long exact = ExactAllocation.Measure(report.BenchmarkCase);
        int operations = ExactAllocation.Invocations * report.BenchmarkCase.Descriptor.OperationsPerInvoke;
        return Judge(reported.Value, exact, operations);
    }

    /// <summary>
    /// Judges MemoryDiagnoser's <paramref name="reported"/> bytes per operation and the benchmark thread's
    /// <paramref name="exact"/> bytes over <paramref name="operations"/> operations: the exact count decides.
    /// </summary>
    internal GateOutcome Judge(long reported, long exact, int operations)
    {
        string detail =
            $"benchmark {benchmark}, figure Allocated per operation: MemoryDiagnoser {reported} B/op, " +
            $"benchmark thread {exact} B over {operations} operations";
        if (reported != 0 && exact == 0)
        {
            detail += " (MemoryDiagnoser counts every thread of the process: the bytes it saw were allocated by other threads)";
        }

        // Enough places that one byte over a million operations does not print as the 0 it fails against.
        string figure = exact == 0 ? "0 B/op" : $"{Format((double)exact / operations, "0.#######")} B/op";
        return new(figure, Limit, exact == 0, detail);
    }
}

/// <summary>
/// A ratio of two medians from the same round, and the median of that ratio over the rounds. For time, ours over the
/// reference must not exceed the limit. For throughput (benchmarks that time a fixed number of operations per thread on
/// equal thread counts), the reference's median over ours is our throughput over the reference's, and must reach the
/// limit. When one side leans on the vector unit and the other does not (<c>vectorSensitive</c>), only rounds on a
/// quiet host count (see <see cref="HostProbe"/>), and with fewer than <see cref="QuietRoundsNeeded"/> of them the gate
/// is void. A throughput gate also reports how many threads were busy on each side in the last round, and says so when
/// the machine did not let them run at once.
/// <para>
/// Why rounds: this VM's noise comes in stretches of a second or more. Measured in one block each, the two sides of a
/// ratio fell in different stretches often enough that three full CI runs in a row each failed one gate or two near their limits
/// (2.04x and 6.16x against 1.3x; 1.56x against 1.3x), a different gate each time, where the same code gave 0.72x to
/// 1.26x alone. Within a round the two sides run back to back, so a stretch of noise moves one round's ratio, and a
/// median over the rounds takes no notice of it; a change to the code moves every round alike. One kind of noise
/// changes the ratio itself rather than the time: a neighbour on a core's vector unit slowed <c>Histogram.Observe</c>
/// 1.7 times and its raw atomics 1.05 times, for minutes at a time. For a gate that compares the two, rounds taken then
/// are left out.
/// </para>
/// </summary>
internal sealed class RatioGate(
    string name, BenchmarkKey ours, BenchmarkKey reference, double limit, bool throughput, int threads = 0, bool vectorSensitive = false)
    : Gate(name)
{
    public override IReadOnlyList<BenchmarkKey> Needs => [ours, reference];

    /// <summary>How many rounds on a quiet host a verdict needs; with fewer, the gate is void.</summary>
    public const int QuietRoundsNeeded = 3;

    private string LimitText => throughput ? $">= {Format(limit, "0.00")}x" : $"<= {Format(limit, "0.00")}x";

    public override GateOutcome Evaluate(Func<BenchmarkKey, IReadOnlyList<BenchmarkReport>> find, Func<BenchmarkCase, double?> hostSlowdown)
    {
        string limitText = LimitText;
        var ourRounds = find(ours).Where(r => Median(r) is not null).ToDictionary(r => r.BenchmarkCase.Job.Id);
        var referenceRounds = find(reference).Where(r => Median(r) is not null).ToDictionary(r => r.BenchmarkCase.Job.Id);
        if (ourRounds.Count == 0)
        {
            return Missing(ours, limitText);
        }

        if (referenceRounds.Count == 0)
        {
            return Missing(reference, limitText);
        }

        // Rounds in which both sides measured, in the order they ran, with how busy the host was around either side.
        return Judge([.. ourRounds.Keys.Where(referenceRounds.ContainsKey)
            .Select(round => (Ours: ourRounds[round], Reference: referenceRounds[round]))
            .Select(r => (Ours: Median(r.Ours)!.Value, Reference: Median(r.Reference)!.Value,
                HostSlowdown: Math.Max(hostSlowdown(r.Ours.BenchmarkCase) ?? 1, hostSlowdown(r.Reference.BenchmarkCase) ?? 1)))]);
    }

    /// <summary>
    /// Judges the rounds in which both sides measured, in the order they ran: each side's median in nanoseconds per
    /// operation, and the host's worst slowdown around either side.
    /// </summary>
    internal GateOutcome Judge(IReadOnlyList<(double Ours, double Reference, double HostSlowdown)> measured)
    {
        string limitText = LimitText;
        var rounds = measured
            .Select(r => new Round(
                r.Ours,
                r.Reference,
                throughput ? r.Reference / r.Ours : r.Ours / r.Reference,
                r.HostSlowdown,
                Quiet: !vectorSensitive || r.HostSlowdown <= HostProbeProcessor.BusyHost))
            .ToList();
        if (rounds.Count == 0)
        {
            return new("no result", limitText, false, $"benchmarks {ours} and {reference} never measured in the same round");
        }

        string figure = throughput ? "total throughput ratio" : "median time ratio";
        string roundList = string.Join(", ", rounds.Select(r => r.Quiet
            ? Format(r.Ratio, "0.000")
            : $"{Format(r.Ratio, "0.000")} on a busy host ({Format(r.HostSlowdown, "0.0")}x)"));
        var quiet = rounds.Where(r => r.Quiet).ToList();
        if (rounds.Count < QuietRoundsNeeded)
        {
            // Rounds missing altogether are a benchmark that failed to measure, not a busy host: a failure, never void.
            return new(
                "no result",
                limitText,
                false,
                $"benchmark {ours} vs {reference}, figure {figure}: both sides measured in only {rounds.Count} rounds, " +
                $"{QuietRoundsNeeded} needed; rounds [{roundList}]. The other rounds of one side broke: the log above says why");
        }

        if (quiet.Count < QuietRoundsNeeded)
        {
            return new(
                "void",
                limitText,
                Passed: true,
                $"benchmark {ours} vs {reference}, figure {figure}: only {quiet.Count} of {rounds.Count} rounds ran on a quiet host " +
                $"(a vector probe within {Format(HostProbeProcessor.BusyHost, "0.0")}x of its best on the benchmark's processor, before " +
                $"and after each side), {QuietRoundsNeeded} needed; rounds [{roundList}]. A neighbour held a core, so this run says " +
                "nothing about the code: re-run on a quiet host",
                Void: true);
        }

        Round middle = Medians.MiddleOf(quiet, r => r.Ratio);
        bool passed = throughput ? middle.Ratio >= limit : middle.Ratio <= limit;
        string detail =
            $"benchmark {ours} vs {reference}, figure {figure}, " +
            (vectorSensitive ? $"median of the {quiet.Count} of {rounds.Count} rounds on a quiet host " : $"median of {rounds.Count} rounds ") +
            $"[{roundList}]; in the median round {Format(middle.Ours, "0.###")} ns/op against {Format(middle.Reference, "0.###")} ns/op";
        if (threads > 0)
        {
            double? ourBusy = BusyThreadsColumn.Read(ours.Method, threads);
            double? referenceBusy = BusyThreadsColumn.Read(reference.Method, threads);
            detail += $"; busy threads in the last round {Format(ourBusy ?? double.NaN, "0.00")} and {Format(referenceBusy ?? double.NaN, "0.00")} of {threads}";
            if (!passed && Math.Min(ourBusy ?? 0, referenceBusy ?? 0) < 0.9 * threads)
            {
                detail += " (the threads did not run at once: other work held the cores, so this figure measures the " +
                          "scheduler more than the engine; re-run on an idle machine before blaming the code)";
            }
        }

        return new($"{Format(middle.Ratio, "0.000")}x", limitText, passed, detail);
    }

    /// <summary>
    /// One round's medians, their ratio as the gate reads it, the host's slowdown around them, and whether the round
    /// counts (every round does, unless the gate is vector-sensitive and the host was busy).
    /// </summary>
    private sealed record Round(double Ours, double Reference, double Ratio, double HostSlowdown, bool Quiet);
}
