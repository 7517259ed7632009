
namespace Aria.Metrics.Labels;

/// <summary>Validates the label names a family declares.</summary>
internal static class LabelNames
{
    /// <summary>Returns a private copy of <paramref name="names"/> after checking every rule, or throws naming the metric.</summary>
    public static string[] Validate(string metric, ReadOnlySpan<string> names, bool isHistogram)
    {
        string[] copy = names.ToArray();
        for (int i = 0; i < copy.Length; i++)
        {
            string name = copy[i];
            if (name is null || !NameRules.IsValidLabelName(name))
            {
                Errors.InvalidLabelName(metric, name, "label names must match [a-zA-Z_][a-zA-Z0-9_]*");
            }

            if (NameRules.IsReserved(name))
            {
                Errors.InvalidLabelName(metric, name, "names starting with '__' are reserved for Prometheus");
            }

            if (isHistogram && name == "le")
            {
                Errors.InvalidLabelName(metric, name, "a histogram writes 'le' itself on its buckets");
            }

            if (name == MetricFamily.OverflowLabelName)
            {
                Errors.InvalidLabelName(metric, name, "it marks the overflow series that takes the measurements past a family's series limit");
            }

            if (name == "quantile")
            {
                Errors.InvalidLabelName(metric, name, "'quantile' is reserved for summaries");
            }

            if (Array.IndexOf(copy, name, 0, i) >= 0)
            {
                Errors.InvalidLabelName(metric, name, "the name is declared twice");
            }
        }

        return copy;
    }
}
