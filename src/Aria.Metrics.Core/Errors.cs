using System.Diagnostics.CodeAnalysis;

namespace Aria.Metrics;

/// <summary>
/// Every exception the library throws for bad input, in one place. Each message names the metric and says what is
/// wrong, so that the caller who caused it can fix it. Throwing from here keeps the hot paths small enough to inline.
/// </summary>
#pragma warning disable CA2208 // The parameter names are those of the public methods that call these helpers.
internal static class Errors
{
    [DoesNotReturn]
    public static void NegativeIncrement(string metric, double amount) =>
        throw new ArgumentOutOfRangeException(
            nameof(amount), amount, $"Counter '{metric}' can only go up: the increment must be a finite number >= 0, not {amount}.");

    [DoesNotReturn]
    public static void InvalidCounterValue(string metric, double value) =>
        throw new ArgumentOutOfRangeException(
            nameof(value), value, $"Counter '{metric}' cannot be set to {value}: the value must be a finite number >= 0.");

    [DoesNotReturn]
    public static void InvalidAmount(string metric, double amount) =>
        throw new ArgumentOutOfRangeException(
            nameof(amount), amount, $"Gauge '{metric}' cannot change by {amount}: the amount must be a number, not NaN.");

    [DoesNotReturn]
    public static void InvalidObservation(string metric, double value) =>
        throw new ArgumentOutOfRangeException(
            nameof(value), value, $"Histogram '{metric}' cannot observe {value}: observations must be finite numbers.");

    [DoesNotReturn]
    public static void NegativeObservationCount(string metric, long count) =>
        throw new ArgumentOutOfRangeException(
            nameof(count), count, $"Histogram '{metric}' cannot observe a value {count} times: the count must be >= 0.");

    [DoesNotReturn]
    public static void InvalidExemplar(string metric, string why) =>
        throw new ArgumentException($"Metric '{metric}' was given an invalid exemplar: {why}.", "exemplar");

    [DoesNotReturn]
    public static void WrongLabelCount(string metric, IReadOnlyList<string> labelNames, int given) =>
        throw new ArgumentException(
            labelNames.Count == 0
                ? $"Metric '{metric}' has no labels, but {given} label value(s) were given."
                : $"Metric '{metric}' has {labelNames.Count} label(s) ({string.Join(", ", labelNames)}), but {given} value(s) were given.",
            "labelValues");

    [DoesNotReturn]
    public static void NullLabelValue(string metric, string labelName) =>
        throw new ArgumentException(
            $"Metric '{metric}' was given a null value for label '{labelName}'; use \"\" for an empty value.", "labelValues");

    [DoesNotReturn]
    public static void MalformedLabelValue(string metric, string labelName) =>
        throw new ArgumentException(
            $"Metric '{metric}' was given a value for label '{labelName}' that is not well-formed UTF-16 (a lone surrogate).",
            "labelValues");

    [DoesNotReturn]
    public static void LabelsRequired(string metric, IReadOnlyList<string> labelNames) =>
        throw new InvalidOperationException(
            $"Metric '{metric}' has labels ({string.Join(", ", labelNames)}): call WithLabels(...) to reach a series.");

    [DoesNotReturn]
    public static void InvalidMetricName(string metric) =>
        throw new ArgumentException(
            $"'{metric}' is not a valid metric name: it must match [a-zA-Z_:][a-zA-Z0-9_:]* and not start with '__'.", "name");

    [DoesNotReturn]
    public static void InvalidLabelName(string metric, string? labelName, string why) =>
        throw new ArgumentException($"Metric '{metric}' cannot have a label named '{labelName}': {why}.", "labelNames");

    [DoesNotReturn]
    public static void InvalidBuckets(string metric, string why) =>
        throw new ArgumentException($"Histogram '{metric}' has invalid buckets: {why}.", "buckets");

    [DoesNotReturn]
    public static void InvalidNativeOption(string metric, string option, object value, string why) =>
        throw new ArgumentException($"Histogram '{metric}' has an invalid {option} of {value}: {why}.", "options");

    [DoesNotReturn]
    public static void InvalidHelp(string metric, string why) =>
        throw new ArgumentException($"Metric '{metric}' has an invalid help text: {why}.", "help");

    [DoesNotReturn]
    public static void ConflictingRegistration(string metric, string difference) =>
        throw new InvalidOperationException(
            $"Metric '{metric}' is already registered with a different definition: {difference}.");

    [DoesNotReturn]
    public static void NameCollision(string metric, string sample, string owner) =>
        throw new InvalidOperationException(
            sample.EndsWith("_created", StringComparison.Ordinal)
                ? $"Metric '{metric}' and metric '{owner}' would both use the name '{sample}': OpenMetrics writes '<name>_created' " +
                  "beside every counter and histogram, so that name is reserved for the one and cannot name the other."
                : $"Metric '{metric}' would expose '{sample}', which metric '{owner}' already exposes.");

    [DoesNotReturn]
    public static void ReservedMetricName(string metric, string sample) =>
        throw new InvalidOperationException(
            $"Metric '{metric}' would expose '{sample}', a name the registry keeps for its own metric counting the label sets refused by series limits.");

    [DoesNotReturn]
    public static void InvalidSeriesLimit(string? metric, int limit) =>
        throw new ArgumentOutOfRangeException(
            "value",
            limit,
            metric is null
                ? $"The default series limit must be at least 1 (the overflow series alone), not {limit}; int.MaxValue turns the limit off."
                : $"The series limit of metric '{metric}' must be at least 1 (the overflow series alone), not {limit}; int.MaxValue turns the limit off.");

    [DoesNotReturn]
    public static void InvalidSeriesExpiry(string? metric, TimeSpan expiry) =>
        throw new ArgumentOutOfRangeException(
            "value",
            expiry,
            metric is null
                ? $"The default series expiry must be a positive time, or null for never, not {expiry}."
                : $"The series expiry of metric '{metric}' must be a positive time, or null for never, not {expiry}.");

    [DoesNotReturn]
    public static void NothingToRemove(string metric) =>
        throw new InvalidOperationException(
            $"Metric '{metric}' has no labels: its one series cannot be removed (set it, or do not register the metric).");

    [DoesNotReturn]
    public static void InvalidCollectTimeout(TimeSpan timeout) =>
        throw new ArgumentOutOfRangeException(
            nameof(timeout), timeout, $"A collect timeout of {timeout} cannot be waited: it must be positive, or Timeout.InfiniteTimeSpan.");
}
#pragma warning restore CA2208
