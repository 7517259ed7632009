namespace Aria.Metrics.Benchmarks.Gates;

/// <summary>
/// The median every gate reads over its rounds: the middle of the figures in order, and of the two middles the upper
/// one when the count is even, so that the figure is always one that a round measured.
/// </summary>
internal static class Medians
{
    /// <summary>The median of <paramref name="values"/>.</summary>
    public static double Of(IEnumerable<double> values) => MiddleOf(values, value => value);

    /// <summary>The item whose <paramref name="figure"/> is the median.</summary>
    public static T MiddleOf<T>(IEnumerable<T> items, Func<T, double> figure)
    {
        T[] sorted = [.. items.OrderBy(figure)];
        return sorted[sorted.Length / 2];
    }
}
