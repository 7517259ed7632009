
namespace Aria.Metrics;

/// <summary>Histogram bucket layouts. The <c>+Inf</c> bucket is always implied and never listed.</summary>
public static class Buckets
{
    /// <summary>Prometheus' default buckets, meant for request durations in seconds.</summary>
    public static ReadOnlySpan<double> Default => [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary><paramref name="count"/> buckets, <paramref name="width"/> apart, the first at <paramref name="start"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is below 1, the width not positive, or a bound not finite.</exception>
    public static double[] Linear(double start, double width, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!(width > 0) || !double.IsFinite(start) || !double.IsFinite(width))
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "The start must be finite and the width finite and positive.");
        }

        var bounds = new double[count];
        for (int i = 0; i < count; i++)
        {
            bounds[i] = start + (i * width);
        }

        return bounds;
    }

    /// <summary><paramref name="count"/> buckets, each <paramref name="factor"/> times the one before, the first at <paramref name="start"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is below 1, the start not positive, or the factor not above 1.</exception>
    public static double[] Exponential(double start, double factor, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!(start > 0) || !(factor > 1) || !double.IsFinite(start) || !double.IsFinite(factor))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The start must be finite and positive, and the factor finite and above 1.");
        }

        var bounds = new double[count];
        double bound = start;
        for (int i = 0; i < count; i++)
        {
            bounds[i] = bound;
            bound *= factor;
        }

        return bounds;
    }

    /// <summary>
    /// Checks bounds for a histogram: at least one, finite, strictly increasing. A trailing <c>+Inf</c> is accepted and
    /// dropped, since that bucket is implied.
    /// </summary>
    internal static double[] Validate(string metric, ReadOnlySpan<double> bounds, bool allowNone = false)
    {
        if (bounds.Length != 0 && double.IsPositiveInfinity(bounds[^1]))
        {
            bounds = bounds[..^1];
        }

        if (bounds.Length == 0 && !allowNone)
        {
            Errors.InvalidBuckets(metric, "at least one finite upper bound is needed");
        }

        for (int i = 0; i < bounds.Length; i++)
        {
            if (!double.IsFinite(bounds[i]))
            {
                Errors.InvalidBuckets(metric, $"bound {i} is {bounds[i]}; bounds must be finite");
            }

            if (i > 0 && !(bounds[i] > bounds[i - 1]))
            {
                Errors.InvalidBuckets(metric, $"bound {i} ({bounds[i]}) does not exceed bound {i - 1} ({bounds[i - 1]}); bounds must strictly increase");
            }
        }

        return bounds.ToArray();
    }
}
