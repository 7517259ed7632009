using System.Collections.Immutable;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aria.Metrics.Benchmarks.Gates;

/// <summary>
/// Runs the gates' cases round by round (a round is a job: <c>Round1</c>, <c>Round2</c>, ...) and, within a round, in
/// the order the gates name them, so that the two sides of a ratio run one right after the other in every round.
/// BenchmarkDotNet's own order runs all rounds of a case before the next case, which puts the two sides of a ratio
/// seconds apart again. Everything but the execution order is BenchmarkDotNet's default.
/// </summary>
internal sealed class RoundOrderer(IReadOnlyList<BenchmarkKey> order) : IOrderer
{
    private const string Prefix = "Round";

    private readonly IOrderer _default = DefaultOrderer.Instance;

    public bool SeparateLogicalGroups => _default.SeparateLogicalGroups;

    /// <summary>The job id of round <paramref name="round"/>, counted from 1.</summary>
    public static string JobId(int round) => Prefix + round.ToString(CultureInfo.InvariantCulture);

    /// <summary>The round a case was measured in, from its job id.</summary>
    public static int RoundOf(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Job.Id.StartsWith(Prefix, StringComparison.Ordinal)
        && int.TryParse(benchmarkCase.Job.Id.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int round)
            ? round
            : 0;

    public IEnumerable<BenchmarkCase> GetExecutionOrder(ImmutableArray<BenchmarkCase> benchmarksCase, IEnumerable<BenchmarkLogicalGroupRule>? order = null) =>
        benchmarksCase.OrderBy(RoundOf).ThenBy(Position);

    public IEnumerable<BenchmarkCase> GetSummaryOrder(ImmutableArray<BenchmarkCase> benchmarksCases, Summary summary) =>
        _default.GetSummaryOrder(benchmarksCases, summary);

    public string? GetHighlightGroupKey(BenchmarkCase benchmarkCase) => _default.GetHighlightGroupKey(benchmarkCase);

    public string GetLogicalGroupKey(ImmutableArray<BenchmarkCase> allBenchmarksCases, BenchmarkCase benchmarkCase) =>
        _default.GetLogicalGroupKey(allBenchmarksCases, benchmarkCase) ?? string.Empty;

    public IEnumerable<IGrouping<string, BenchmarkCase>> GetLogicalGroupOrder(
        IEnumerable<IGrouping<string, BenchmarkCase>> logicalGroups, IEnumerable<BenchmarkLogicalGroupRule>? order = null) =>
        _default.GetLogicalGroupOrder(logicalGroups, order);

    private int Position(BenchmarkCase benchmarkCase)
    {
        for (int i = 0; i < order.Count; i++)
        {
            if (order[i].Matches(benchmarkCase))
            {
                return i;
            }
        }

        return order.Count;
    }
}
