namespace Aria.Metrics.Cells;

/// <summary>A histogram family's native bucket settings, checked and resolved from its <see cref="HistogramOptions"/>.</summary>
/// <param name="Schema">The schema new and reset series start at.</param>
/// <param name="ZeroThreshold">The zero bucket's half-width that series start at.</param>
/// <param name="MaxBuckets">The most populated native buckets a series keeps; 0 for no limit.</param>
/// <param name="MinResetDuration">How long after a reset a series may be reset again to stay within the limit; zero never resets.</param>
/// <param name="MaxZeroThreshold">How wide the zero bucket may grow to stay within the limit.</param>
internal sealed record NativeHistogramSettings(int Schema, double ZeroThreshold, int MaxBuckets, TimeSpan MinResetDuration, double MaxZeroThreshold)
{
    /// <summary>The native settings of <paramref name="options"/>, or null when native buckets are off; throws naming the metric when one is invalid.</summary>
    public static NativeHistogramSettings? From(string metric, HistogramOptions options)
    {
        double factor = options.NativeBucketFactor;
        if (factor == 0)
        {
            return null;
        }

        if (!(factor > 1) || !double.IsFinite(factor))
        {
            Errors.InvalidNativeOption(metric, nameof(options.NativeBucketFactor), factor, "it must be above 1 (or 0 for no native buckets)");
        }

        double zeroThreshold = options.NativeZeroThreshold switch
        {
            0 => NativeSchema.DefaultZeroThreshold,
            HistogramOptions.NativeZeroThresholdZero => 0,
            double threshold when threshold > 0 && double.IsFinite(threshold) => threshold,
            double threshold => Invalid(metric, nameof(options.NativeZeroThreshold), threshold, "it must be positive, 0 for the default 2^-128, or NativeZeroThresholdZero"),
        };

        if (options.NativeMaxBucketCount < 0)
        {
            Errors.InvalidNativeOption(metric, nameof(options.NativeMaxBucketCount), options.NativeMaxBucketCount, "it must be 0 (no limit) or more");
        }

        if (options.NativeMinResetDuration < TimeSpan.Zero)
        {
            Errors.InvalidNativeOption(metric, nameof(options.NativeMinResetDuration), options.NativeMinResetDuration, "it must not be negative");
        }

        double maxZeroThreshold = options.NativeMaxZeroThreshold;
        if (!(maxZeroThreshold >= 0) || !double.IsFinite(maxZeroThreshold))
        {
            Errors.InvalidNativeOption(metric, nameof(options.NativeMaxZeroThreshold), maxZeroThreshold, "it must be finite and not negative");
        }

        return new NativeHistogramSettings(NativeSchema.ForFactor(factor), zeroThreshold, options.NativeMaxBucketCount, options.NativeMinResetDuration, maxZeroThreshold);
    }

    private static double Invalid(string metric, string option, double value, string why)
    {
        Errors.InvalidNativeOption(metric, option, value, why);
        return value;
    }
}
