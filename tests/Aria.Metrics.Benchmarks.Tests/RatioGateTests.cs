using System.Globalization;

namespace Aria.Metrics.Benchmarks.Tests;

/// <summary>How a ratio gate turns rounds of two medians into a verdict.</summary>
public sealed class RatioGateTests
{
    private static readonly BenchmarkKey Ours = new(typeof(RatioGateTests), "Ours");
    private static readonly BenchmarkKey Reference = new(typeof(RatioGateTests), "Reference");

    private static RatioGate TimeGate(double limit, bool vectorSensitive = false) =>
        new("time", Ours, Reference, limit, throughput: false, vectorSensitive: vectorSensitive);

    private static RatioGate ThroughputGate(double limit) => new("throughput", Ours, Reference, limit, throughput: true);

    /// <summary>Rounds whose time ratio (ours over the reference) is exactly <paramref name="ratios"/>, on a quiet host.</summary>
    private static (double Ours, double Reference, double HostSlowdown)[] TimeRounds(params double[] ratios) =>
        [.. ratios.Select(ratio => (ratio, 1.0, 1.0))];

    /// <summary>Rounds whose throughput ratio (the reference's time over ours) is exactly <paramref name="ratios"/>.</summary>
    private static (double Ours, double Reference, double HostSlowdown)[] ThroughputRounds(params double[] ratios) =>
        [.. ratios.Select(ratio => (1.0, ratio, 1.0))];

    private static string Figure(double ratio) => ratio.ToString("0.000", CultureInfo.InvariantCulture) + "x";

    [Fact]
    public void The_median_round_decides_a_time_gate_not_the_mean_of_the_rounds()
    {
        // Mean 2.86x, far over the limit; three of five rounds within it.
        GateOutcome outcome = TimeGate(1.3).Judge(TimeRounds(6.0, 1.0, 5.0, 1.2, 1.1));

        Assert.Equal("1.200x", outcome.Figure);
        Assert.Equal("PASS", outcome.Verdict);
    }

    [Fact]
    public void The_median_round_decides_a_time_gate_not_the_best_round()
    {
        // The best round (0.5x) and the mean (1.12x) are within the limit; three of five rounds are not.
        GateOutcome outcome = TimeGate(1.3).Judge(TimeRounds(1.5, 0.5, 1.6, 0.6, 1.4));

        Assert.Equal("1.400x", outcome.Figure);
        Assert.Equal("FAIL", outcome.Verdict);
    }

    [Fact]
    public void The_median_round_decides_a_throughput_gate_not_the_best_round()
    {
        GateOutcome outcome = ThroughputGate(2.0).Judge(ThroughputRounds(1.9, 3.0, 1.8, 2.5, 1.7));

        Assert.Equal("1.900x", outcome.Figure);
        Assert.Equal("FAIL", outcome.Verdict);
    }

    [Fact]
    public void A_throughput_gate_reads_the_references_time_over_ours()
    {
        // Ours takes 2 ns an operation, the reference 5 ns: 2.5 times the reference's throughput.
        GateOutcome outcome = ThroughputGate(2.0).Judge([(2.0, 5.0, 1.0), (2.0, 5.0, 1.0), (2.0, 5.0, 1.0)]);

        Assert.Equal("2.500x", outcome.Figure);
        Assert.True(outcome.Passed);
    }

    [Fact]
    public void A_time_gate_reads_our_time_over_the_references()
    {
        GateOutcome outcome = TimeGate(0.5).Judge([(2.0, 5.0, 1.0), (2.0, 5.0, 1.0), (2.0, 5.0, 1.0)]);

        Assert.Equal("0.400x", outcome.Figure);
        Assert.True(outcome.Passed);
    }

    [Theory]
    [InlineData(1.2999, "PASS")]
    [InlineData(1.3, "PASS")]
    [InlineData(1.3001, "FAIL")]
    public void A_time_gate_passes_up_to_its_limit_and_fails_just_over_it(double median, string verdict)
    {
        GateOutcome outcome = TimeGate(1.3).Judge(TimeRounds(0.9, median, 2.0, median, 1.0));

        Assert.Equal(verdict, outcome.Verdict);
        Assert.Equal("<= 1.30x", outcome.Limit);
    }

    [Theory]
    [InlineData(2.0001, "PASS")]
    [InlineData(2.0, "PASS")]
    [InlineData(1.9999, "FAIL")]
    public void A_throughput_gate_passes_from_its_limit_up_and_fails_just_under_it(double median, string verdict)
    {
        GateOutcome outcome = ThroughputGate(2.0).Judge(ThroughputRounds(3.0, median, 1.0, median, 2.5));

        Assert.Equal(verdict, outcome.Verdict);
        Assert.Equal(">= 2.00x", outcome.Limit);
    }

    [Fact]
    public void With_an_even_count_of_rounds_the_upper_of_the_two_middle_rounds_decides()
    {
        GateOutcome outcome = TimeGate(1.3).Judge(TimeRounds(1.0, 1.2, 1.4, 1.6));

        Assert.Equal("1.400x", outcome.Figure);
        Assert.False(outcome.Passed);
    }

    [Fact]
    public void A_gate_without_a_round_in_which_both_sides_measured_fails_with_no_result()
    {
        GateOutcome outcome = TimeGate(1.3).Judge([]);

        Assert.Equal("no result", outcome.Figure);
        Assert.Equal("FAIL", outcome.Verdict);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_gate_fails_when_a_side_measured_in_only_two_rounds(bool vectorSensitive)
    {
        // A benchmark that broke in three rounds of five is a failure to measure, not a busy host: never void.
        GateOutcome outcome = TimeGate(1.3, vectorSensitive).Judge(TimeRounds(1.0, 1.1));

        Assert.Equal("no result", outcome.Figure);
        Assert.Equal("FAIL", outcome.Verdict);
        Assert.False(outcome.Void);
        Assert.Contains("both sides measured in only 2 rounds, 3 needed", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vector_sensitive_gate_with_two_quiet_rounds_is_void()
    {
        GateOutcome outcome = TimeGate(1.3, vectorSensitive: true).Judge(
            [(1.1, 1.0, 1.0), (1.1, 1.0, 1.2), (1.7, 1.0, 2.0), (1.6, 1.0, 1.5), (1.7, 1.0, 1.9)]);

        Assert.Equal("VOID", outcome.Verdict);
        Assert.True(outcome.Void);
        Assert.True(outcome.Passed, "a void gate must not count as a failure");
        Assert.Contains("only 2 of 5 rounds ran on a quiet host", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vector_sensitive_gate_with_three_quiet_rounds_is_judged_on_those_three_only()
    {
        // Over all five rounds the median is 1.4x, a failure; over the three quiet ones, 1.0x.
        (double, double, double)[] rounds = [(0.9, 1.0, 1.0), (1.5, 1.0, 2.0), (1.0, 1.0, 1.1), (1.6, 1.0, 1.8), (1.4, 1.0, 1.3)];

        GateOutcome outcome = TimeGate(1.3, vectorSensitive: true).Judge(rounds);

        Assert.Equal("1.000x", outcome.Figure);
        Assert.Equal("PASS", outcome.Verdict);
        Assert.Contains("median of the 3 of 5 rounds on a quiet host", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gate_that_is_not_vector_sensitive_counts_rounds_on_a_busy_host()
    {
        (double, double, double)[] rounds = [(0.9, 1.0, 1.0), (1.5, 1.0, 2.0), (1.0, 1.0, 1.1), (1.6, 1.0, 1.8), (1.4, 1.0, 1.3)];

        GateOutcome outcome = TimeGate(1.3).Judge(rounds);

        Assert.Equal("1.400x", outcome.Figure);
        Assert.Equal("FAIL", outcome.Verdict);
    }

    [Theory]
    [InlineData(HostProbeProcessor.BusyHost, "PASS")]
    [InlineData(HostProbeProcessor.BusyHost + 0.01, "VOID")]
    public void A_round_counts_as_quiet_up_to_a_probe_slowdown_of_1_3x(double slowdown, string verdict)
    {
        GateOutcome outcome = TimeGate(1.3, vectorSensitive: true).Judge(
            [(1.0, 1.0, slowdown), (1.1, 1.0, slowdown), (1.2, 1.0, slowdown)]);

        Assert.Equal(verdict, outcome.Verdict);
    }

    [Fact]
    public void A_failing_verdict_prints_the_median_figure_and_every_round()
    {
        GateOutcome outcome = TimeGate(0.5).Judge(TimeRounds(0.61, 0.62, 0.6));

        Assert.Equal(Figure(0.61), outcome.Figure);
        Assert.Contains("[0.610, 0.620, 0.600]", outcome.Detail, StringComparison.Ordinal);
    }
}
