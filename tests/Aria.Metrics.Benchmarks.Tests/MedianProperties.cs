using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Aria.Metrics.Benchmarks.Tests;

/// <summary>The laws of the median the gates read over their rounds.</summary>
public sealed class MedianProperties
{
    private const double TimeLimit = 1.3;
    private const double ThroughputLimit = 2.0;

    private static readonly BenchmarkKey Ours = new(typeof(MedianProperties), "Ours");
    private static readonly BenchmarkKey Reference = new(typeof(MedianProperties), "Reference");

    /// <summary>Ratios on a grid of 0.01 that holds both limits exactly, so that rounds on the limit itself come up.</summary>
    private static readonly Gen<double> Ratio = Gen.Choose(50, 300).Select(hundredths => hundredths / 100.0);

    private static Arbitrary<double[]> AnyRounds() => Ratio.ArrayOf().Where(rounds => rounds.Length > 0).ToArbitrary();

    /// <summary>
    /// An odd count of rounds, as a gate that counts every one of its five rounds has, and at least
    /// <see cref="RatioGate.QuietRoundsNeeded"/>, with fewer of which a gate is void.
    /// </summary>
    private static Arbitrary<double[]> OddRounds() =>
        Gen.Choose(1, 4).SelectMany(half => Ratio.ArrayOf(2 * half + 1)).ToArbitrary();

    [Property]
    public Property The_median_is_one_of_the_rounds_between_the_least_and_the_greatest() =>
        Prop.ForAll(AnyRounds(), rounds =>
        {
            double median = Medians.Of(rounds);
            return rounds.Contains(median) && rounds.Min() <= median && median <= rounds.Max();
        });

    [Property]
    public Property The_median_does_not_depend_on_the_order_of_the_rounds() =>
        Prop.ForAll(
            AnyRounds().Generator.SelectMany(rounds => Gen.Shuffle(rounds), (rounds, shuffled) => (rounds, shuffled)).ToArbitrary(),
            pair => Medians.Of(pair.rounds) == Medians.Of(pair.shuffled));

    [Property]
    public Property A_time_gate_passes_exactly_when_most_rounds_are_within_its_limit() =>
        Prop.ForAll(OddRounds(), ratios =>
        {
            GateOutcome outcome = new RatioGate("time", Ours, Reference, TimeLimit, throughput: false)
                .Judge([.. ratios.Select(ratio => (ratio, 1.0, 1.0))]);
            return outcome.Passed == (ratios.Count(r => r <= TimeLimit) > ratios.Length / 2);
        });

    [Property]
    public Property A_throughput_gate_passes_exactly_when_most_rounds_reach_its_limit() =>
        Prop.ForAll(OddRounds(), ratios =>
        {
            GateOutcome outcome = new RatioGate("throughput", Ours, Reference, ThroughputLimit, throughput: true)
                .Judge([.. ratios.Select(ratio => (1.0, ratio, 1.0))]);
            return outcome.Passed == (ratios.Count(r => r >= ThroughputLimit) > ratios.Length / 2);
        });
}
